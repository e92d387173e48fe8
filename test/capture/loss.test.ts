/**
 * Loss is counted, never silent: a one-page ring buffer drained once a second overruns under a
 * burst of datagrams, and every datagram is either a received record or counted lost — exactly, in
 * each of several runs — with the loss in the trace as capture.lost rows, stamped with the time
 * the ring refused records (during the burst), not the time the reader noticed (up to a second
 * later), and in the store's totals and the capture's stats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureSkipReason, freePort, recordWhile, runPython } from './live.js';

const skip = captureSkipReason();
const DATAGRAMS = 3000;
const RUNS = 3;

test('an overrun ring buffer: received + reported lost = generated, exactly, in every run; the loss is stamped with when it happened', { skip }, async () => {
  for (let run = 0; run < RUNS; run++) {
    const port = await freePort();
    // Only our datagrams reach the ring: pkt.udp for the closed port, in both directions — an
    // output-only rule would leave other processes' input packets unfiltered (WindView's rule: a
    // filter narrows only events of its direction), and their loss would count here.
    const filter = { classes: [], enable: ['pkt.udp'], ports: [{ type: 'dst' as const, direction: 'both' as const, from: port }] };
    // The burst's first and last moments on the records' clock (CLOCK_BOOTTIME), printed around it.
    const burst = [
      'import socket, time',
      's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      'first = time.clock_gettime_ns(time.CLOCK_BOOTTIME)',
      `for i in range(${DATAGRAMS}):`,
      `    s.sendto(b'x', ('127.0.0.1', ${port}))`,
      'print(first, time.clock_gettime_ns(time.CLOCK_BOOTTIME))',
    ].join('\n');
    let span: bigint[] = [];
    const { rows, stats, store } = await recordWhile(
      filter,
      async () => void (span = (await runPython(burst)).out.split(' ').map(BigInt)),
      { ringBufferBytes: 4096, drainIntervalMs: 1000 },
      1200,
    );
    const [first, last] = span as [bigint, bigint];
    const received = rows.filter((r) => r.event === 'pkt.udp');
    const lostRows = rows.filter((r) => r.event === 'capture.lost');
    const at = `run ${run + 1} of ${RUNS}`;
    assert.ok(stats.lost > 0, `${at}: the burst must overrun a 4 KiB ring (lost ${stats.lost})`);
    assert.equal(received.length + stats.lost, DATAGRAMS, at);
    assert.equal(received.length, stats.records, at);
    assert.equal(stats.events['pkt.udp'], received.length, `${at}: the records read, by event`);
    assert.equal(lostRows.reduce((sum, r) => sum + (r.lost as number), 0), stats.lost, at);
    assert.equal(store.meta.lost, stats.lost, at);
    assert.ok(received.every((r) => r.dport === port && r.size === 1), at);
    // Each capture.lost row: when its CPU's ring refused its last record, inside the burst.
    for (const r of lostRows) {
      const ts = r.ts_ns as bigint;
      assert.ok(ts >= first && ts <= last, `${at}: capture.lost at ${ts}, the burst ran ${first}–${last} (${Number(ts - last) / 1e6} ms after its end)`);
    }
  }
});
