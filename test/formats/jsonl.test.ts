import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCsvImporter } from '../../renderer/engine/formats/csv/csv-import.js';
import { exportJsonl } from '../../renderer/engine/formats/jsonl/jsonl-export.js';
import { Dir, TcpFlagBit, TcpOpt } from '../../renderer/engine/model/enums.js';
import { eventIndex } from '../../renderer/engine/model/events.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';

function jsonl(store: EventStore, bits?: number[]): string[] {
  const parts: Uint8Array[] = [];
  const mask = bits && { bits: Uint8Array.from(bits), count: bits.filter((b) => b === 1).length };
  exportJsonl(store, mask, (c) => parts.push(c));
  return Buffer.concat(parts).toString().split('\n');
}

test('JSON Lines objects follow the documented contract (socket calls from CSV)', () => {
  const text = [
    'Timestamp,PID,Command,Protocol,IP Version,Source Address,Destination Address,Source Port,Destination Port,Size,Direction,Latency,Error,MSG Flags',
    '2024-05-01 12:00:00.000001,42,"a,""b""",TCP,6,2001:db8:0:0::1,2001:db8::2,50000,443,100,send,5000,,MSG_DONTWAIT|MSG_NOSIGNAL',
    '2024-05-01 12:00:00.500000,611,systemd-resolve,UDP,4,10.0.0.1,10.0.0.2,53,5353,0,receive,,EAGAIN,MSG_DONTWAIT',
  ].join('\n');
  const store = new EventStore();
  const imp = createCsvImporter(store, 'x.csv');
  imp.push(new TextEncoder().encode(text));
  imp.end();
  store.dns.add(store.dicts.addrs.internText('2001:db8::2')!, 'example.com');
  assert.deepEqual(jsonl(store), [
    '{"ts_ns":1714564800000001000,"time":"2024-05-01T12:00:00.000001Z","event":"sock.send","class":"core","priority":"INFO","source":"csv","pid":42,"comm":"a,\\"b\\"","ipver":6,"proto":"TCP","saddr":"2001:db8::1","daddr":"2001:db8::2","sport":50000,"dport":443,"dport_name":"https","daddr_names":["example.com."],"size":100,"direction":"send","latency_ns":5000,"msg_flags":"MSG_DONTWAIT|MSG_NOSIGNAL"}',
    '{"ts_ns":1714564800500000000,"time":"2024-05-01T12:00:00.500000Z","event":"sock.recv","class":"core","priority":"INFO","source":"csv","pid":611,"comm":"systemd-resolve","ipver":4,"proto":"UDP","saddr":"10.0.0.1","daddr":"10.0.0.2","sport":53,"dport":5353,"sport_name":"domain","dport_name":"mdns","size":0,"direction":"receive","errno":"EAGAIN","msg_flags":"MSG_DONTWAIT"}',
    '',
  ]);
  assert.equal(jsonl(store, [0, 1]).length, 2, 'the mask selects rows');
});

test('JSON Lines: TCP packets carry flags as names in header order and options as an object', () => {
  const store = new EventStore();
  store.meta.wallOffsetNs = 1_000_000_000_000_000_000n;
  const b = store.builder(5_000_000_123n);
  const r = b.addRow(0, eventIndex('pkt.tcp'));
  b.col('ipver').set(r, 4);
  b.col('proto').set(r, 6);
  b.col('saddr').set(r, store.dicts.addrs.internV4(0x0a000001));
  b.col('daddr').set(r, store.dicts.addrs.internV4(0x0a000002));
  b.col('sport').set(r, 50000);
  b.col('dport').set(r, 22);
  b.col('direction').set(r, Dir.output);
  b.col('tcp_seq').set(r, 4294967295);
  b.col('tcp_ack').set(r, 0);
  b.col('tcp_flags').set(r, TcpFlagBit.SYN | TcpFlagBit.ECE | TcpFlagBit.CWR);
  b.col('tcp_window').set(r, 64240);
  b.col('tcp_options').set(r, TcpOpt.MSS | TcpOpt.SACK_PERM | TcpOpt.WSCALE);
  b.col('tcp_mss').set(r, 1460);
  b.col('tcp_wscale').set(r, 7);
  store.append(b.finish()!);
  assert.deepEqual(jsonl(store), [
    '{"ts_ns":5000000123,"time":"2001-09-09T01:46:45.000000Z","event":"pkt.tcp","class":"core","priority":"INFO","ipver":4,"proto":"TCP","saddr":"10.0.0.1","daddr":"10.0.0.2","sport":50000,"dport":22,"dport_name":"ssh","direction":"output","tcp_seq":4294967295,"tcp_ack":0,"tcp_flags":["SYN","ECE","CWR"],"tcp_window":64240,"tcp_options":{"mss":1460,"wscale":7,"sack_permitted":true}}',
    '',
  ]);
});
