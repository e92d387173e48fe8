/**
 * Loss is counted, never silent: a one-page ring buffer drained once a second overruns under a
 * burst of datagrams, and every datagram is either a received record or counted lost — exactly —
 * with the loss in the trace as capture.lost rows and in the store's totals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureSkipReason, freePort, recordWhile, runPython } from './live.js';

const skip = captureSkipReason();
const DATAGRAMS = 3000;

test('an overrun ring buffer: received + reported lost = generated, exactly', { skip }, async () => {
  const port = await freePort();
  // Only our datagrams reach the ring: pkt.udp for the closed port, in both directions — an
  // output-only rule would leave other processes' input packets unfiltered (WindView's rule: a
  // filter narrows only events of its direction), and their loss would count here.
  const filter = { classes: [], enable: ['pkt.udp'], ports: [{ type: 'dst' as const, direction: 'both' as const, from: port }] };
  const burst = `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor i in range(${DATAGRAMS}):\n    s.sendto(b'x', ('127.0.0.1', ${port}))`;
  const { rows, stats, store } = await recordWhile(filter, async () => void (await runPython(burst)), { ringBufferBytes: 4096, drainIntervalMs: 1000 }, 1200);
  const received = rows.filter((r) => r.event === 'pkt.udp');
  const lostRows = rows.filter((r) => r.event === 'capture.lost');
  assert.ok(stats.lost > 0, `the burst must overrun a 4 KiB ring (lost ${stats.lost})`);
  assert.equal(received.length + stats.lost, DATAGRAMS);
  assert.equal(received.length, stats.records);
  assert.equal(lostRows.reduce((sum, r) => sum + (r.lost as number), 0), stats.lost);
  assert.equal(store.meta.lost, stats.lost);
  assert.ok(received.every((r) => r.dport === port && r.size === 1));
});
