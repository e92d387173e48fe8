/**
 * DNS payloads: with only dns.* enabled, the kernel keeps UDP packets to or from port 53 (and no
 * other UDP) and copies the first bytes of the DNS message into the record for user space to parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { RecordDecoder } from '../../renderer/engine/records/decode.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { captureSkipReason, freePort, recordWhile } from './live.js';

const skip = captureSkipReason();

async function send(port: number, payload: Uint8Array): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(payload, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  socket.close();
}

test('DNS messages reach user space whole (up to 256 bytes) even with pkt.udp off', { skip }, async () => {
  const query = dnsPacket.encode({ type: 'query', id: 0x5157, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'capture.wireview.test' }] });
  const long = dnsPacket.encode({ type: 'query', id: 7, questions: Array.from({ length: 12 }, (_, i) => ({ type: 'AAAA' as const, name: `host-${i}.a-rather-long-zone.wireview.test` })) });
  assert.ok(long.length > 256);
  const other = await freePort();
  const { frames, rows } = await recordWhile({ classes: [], enable: ['dns.query', 'dns.answer'] }, async () => {
    await send(53, query);
    await send(53, long);
    await send(other, query); // not DNS: must not be captured
  });
  const store = new EventStore();
  const payloads: number[][] = [];
  const decoder = new RecordDecoder(store, { onDnsPayload: (_b, _row, payload) => payloads.push([...payload]) });
  for (const frame of frames) decoder.decodeAll(frame);
  const ours = rows.filter((r) => r.dport === 53 && r.comm === 'node' && r.pid === process.pid);
  assert.equal(ours.length, 2);
  assert.equal(rows.filter((r) => r.dport === other).length, 0);
  assert.deepEqual(payloads.filter((p) => p[0] === 0x51 && p[1] === 0x57), [[...query]]);
  assert.deepEqual(payloads.filter((p) => p[0] === 0 && p[1] === 7), [[...long.subarray(0, 256)]]);
});
