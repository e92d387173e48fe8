import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { EventStore } from '../store/event-store.js';
import { RowReader, type FieldValue } from '../values/field-values.js';
import { HDR } from './header.js';
import { FRAME_HEADER_BYTES, RecordDecoder, frameLength, type RecordDecodeOptions } from './decode.js';

// Golden frames written by test/fixtures/records/make-fixtures.c through records.h (npm run gen:record-fixtures).
const fixtures = fileURLToPath(new URL('../../../../test/fixtures/records/', import.meta.url));
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(fixtures + name));

const SOURCES = ['tp:syscalls:sys_exit_connect', 'fexit:tcp_sendmsg', 'cgroup_skb'];
const DROP_REASONS = ['NOT_SPECIFIED', 'NO_SOCKET_X', 'PKT_TOO_SMALL', 'NO_SOCKET'];
const T0 = 5000000000123n;

function decode(bytes: Uint8Array, options: RecordDecodeOptions = {}) {
  const store = new EventStore();
  const decoder = new RecordDecoder(store, { sourceNames: SOURCES, dropReasonNames: DROP_REASONS, ...options });
  const result = decoder.decodeAll(bytes);
  decoder.flush();
  const reader = new RowReader(store);
  const rows: Record<string, FieldValue>[] = [];
  for (let r = 0; r < store.rowCount; r++) {
    const b = store.batchOf(r);
    const o = reader.object(b, r - store.batchStart[b]!);
    // derived from other modules' tables; the decoder's job ends at the stored columns
    for (const k of ['time', 'class', 'priority', 'sport_name', 'dport_name']) delete o[k];
    rows.push(o);
  }
  return { store, result, rows };
}

const curlV4 = { ipver: 4, proto: 'TCP', saddr: '192.168.1.10', daddr: '93.184.216.34', sport: 51000, dport: 443 };

test('golden mixed.bin decodes to the exact rows the C writer put in', () => {
  const bytes = load('mixed.bin');
  const dns: { row: number; payload: number[] }[] = [];
  const { store, result, rows } = decode(bytes, { onDnsPayload: (_b, row, p) => dns.push({ row, payload: [...p] }) });
  assert.deepEqual(result, { bytes: bytes.length, rows: 12, skipped: 2, lost: 7 });
  assert.equal(store.meta.lost, 7);
  const base = { source: SOURCES[0]!, cpu: 0 };
  assert.deepEqual(rows, [
    { ts_ns: T0, event: 'sock.send', source: 'fexit:tcp_sendmsg', cpu: 3, pid: 4242, tid: 4243, comm: 'curl', pid_owner: true, cgroup_id: 77,
      socket_cookie: 0x100000001, ...curlV4, size: 512, direction: 'send', latency_ns: 12500, msg_flags: 'MSG_DONTWAIT|MSG_NOSIGNAL' },
    { ts_ns: T0 + 1000n, event: 'sock.connect_error', ...base, pid: 4242, tid: 4243, comm: 'curl', pid_owner: true, ipver: 6, proto: 'TCP',
      saddr: '2001:db8::1', daddr: '2001:db8::abcd', sport: 40000, dport: 80, latency_ns: 3000000, errno: 'ECONNREFUSED' },
    { ts_ns: T0 + 2000n, event: 'pkt.tcp', source: 'cgroup_skb', cpu: 0, socket_cookie: 0x100000001, ipver: 4, proto: 'TCP',
      saddr: '93.184.216.34', daddr: '192.168.1.10', sport: 443, dport: 51000, size: 0, direction: 'input', ifindex: 2, pkt_len: 60,
      tcp_seq: 0xfffffff0, tcp_ack: 1001, tcp_flags: ['SYN', 'ACK'], tcp_doff: 10, tcp_window: 65160, tcp_csum: 0xbeef, tcp_urg: 0,
      tcp_options: { mss: 1460, wscale: 7, sack_permitted: true, ts_val: 123456789, ts_ecr: 987654321 } },
    { ts_ns: T0 + 3000n, event: 'pkt.udp', ...base, pid: 900, tid: 901, comm: 'systemd-resolve', pid_owner: false, ipver: 4, proto: 'UDP',
      saddr: '192.168.1.10', daddr: '192.168.1.1', sport: 53001, dport: 53, size: 29, direction: 'output', pkt_len: 57, udp_len: 37 },
    { ts_ns: T0 + 4000n, event: 'tcp.state', ...base, socket_cookie: 0x100000001, ...curlV4, state_old: 'SYN_SENT', state_new: 'ESTABLISHED' },
    { ts_ns: T0 + 5000n, event: 'drop.no_socket', ...base, ipver: 4, proto: 'UDP', saddr: '93.184.216.34', daddr: '192.168.1.10',
      sport: 443, dport: 9, ifindex: 2, pkt_len: 40, drop_reason: 'NO_SOCKET' },
    { ts_ns: T0 + 6000n, event: 'neigh.update', ...base, ipver: 4, daddr: '192.168.1.1', ifindex: 2, neigh_state: 'REACHABLE', hwaddr: 'aa:bb:cc:00:11:22' },
    { ts_ns: T0 + 7000n, event: 'route.unreachable', ...base, ipver: 4, daddr: '10.9.9.9', errno: 'ENETUNREACH', route_table: 254, route_result: 'ENETUNREACH' },
    { ts_ns: T0 + 8000n, event: 'route.change', ...base, ipver: 4, daddr: '10.0.0.0', ifindex: 2, route_table: 254, route_result: '10.0.0.0/8 via 192.168.1.1' },
    { ts_ns: T0 + 9000n, event: 'link.up', ...base, ifindex: 2, ifname: 'eth0', link_flags: 'UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP', mtu: 1500 },
    { ts_ns: T0 + 10000n, event: 'tcp.probe', ...base, socket_cookie: 0x100000001, ...curlV4, size: 1000, snd_cwnd: 10, ssthresh: 0x7fffffff,
      snd_wnd: 64240, rcv_wnd: 65483, srtt_us: 2500, snd_nxt: 1001, snd_una: 1 },
    { ts_ns: T0 + 11000n, event: 'capture.lost', ...base, lost: 7 },
  ]);
  assert.equal(dns.length, 1);
  assert.equal(dns[0]!.row, 3);
  assert.equal(dns[0]!.payload.length, 29);
  assert.deepEqual(dns[0]!.payload.slice(0, 4), [0x12, 0x34, 1, 0]);
});

test('a newer minor with longer records decodes the known part and skips the rest', () => {
  const bytes = load('newer-minor.bin');
  const { result, rows } = decode(bytes);
  assert.deepEqual(result, { bytes: bytes.length, rows: 2, skipped: 0, lost: 0 });
  assert.deepEqual(rows.map((r) => [r.event, r.comm, r.dport, r.size, r.direction]), [
    ['sock.recv', 'nginx', 51000, 100, 'receive'],
    ['sock.recv', 'nginx', 51001, 101, 'receive'],
  ]);
});

test('frames are consumed exactly, one by one and back to back', () => {
  const bytes = load('mixed.bin');
  const first = frameLength(bytes, 0)!;
  const store = new EventStore();
  const decoder = new RecordDecoder(store, { batchRows: 4 });
  assert.equal(decoder.decodeFrame(bytes, 0).bytes, first);
  const second = decoder.decodeFrame(bytes, first);
  assert.equal(first + second.bytes, bytes.length);
  decoder.flush();
  assert.equal(store.rowCount, 12);
  assert.ok(store.batches.length >= 3, 'small batches are sealed into the store as they fill');
  assert.equal(frameLength(bytes.subarray(0, FRAME_HEADER_BYTES - 1)), undefined);
});

function expectInputError(bytes: Uint8Array, pattern: RegExp, offset?: number): void {
  const store = new EventStore();
  assert.throws(
    () => new RecordDecoder(store).decodeAll(bytes),
    (e: unknown) => e instanceof InputError && pattern.test(e.message) && (offset === undefined || e.offset === offset),
  );
  assert.equal(store.rowCount, 0);
}

test('bad magic, unknown major, overruns and wrong counts are InputErrors with a byte offset', () => {
  const good = load('mixed.bin');
  const edit = (at: number, fn: (v: DataView) => void): Uint8Array => {
    const copy = good.slice();
    fn(new DataView(copy.buffer, at));
    return copy;
  };
  expectInputError(edit(0, (v) => v.setUint32(0, 0x12345678, true)), /bad magic/, 0);
  expectInputError(edit(0, (v) => v.setUint16(4, 2, true)), /ABI 2\.0 is not supported/, 4);
  expectInputError(edit(0, (v) => v.setUint32(12, 100000, true)), /overruns the input/);
  expectInputError(edit(0, (v) => v.setUint32(8, 9, true)), /says 9 records, holds 8/, 8);
  // first record's size_bytes: zero, unaligned, past the frame, shorter than its struct
  const sizeAt = FRAME_HEADER_BYTES + HDR.size_bytes;
  expectInputError(edit(sizeAt, (v) => v.setUint16(0, 0, true)), /bad record size 0/, sizeAt);
  expectInputError(edit(sizeAt, (v) => v.setUint16(0, 132, true)), /bad record size 132/, sizeAt);
  expectInputError(edit(sizeAt, (v) => v.setUint16(0, 65528, true)), /overruns its frame/, sizeAt);
  expectInputError(edit(sizeAt, (v) => v.setUint16(0, 64, true)), /at least 128 expected/, sizeAt);
});

test('every truncation of a frame is an InputError, never a crash', () => {
  const bytes = load('mixed.bin');
  const first = frameLength(bytes, 0)!;
  for (let cut = 1; cut < first; cut++) expectInputError(bytes.subarray(0, cut), /cut short|overruns/);
});

test('random garbage after a valid frame header is refused or skipped, never crashes', () => {
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 255;
  const good = load('mixed.bin');
  for (let round = 0; round < 300; round++) {
    const bytes = good.slice();
    for (let i = FRAME_HEADER_BYTES; i < bytes.length; i++) if (rand() < 6) bytes[i] = rand();
    const store = new EventStore();
    try {
      new RecordDecoder(store).decodeAll(bytes);
    } catch (e) {
      assert.ok(e instanceof InputError, String(e));
    }
  }
});
