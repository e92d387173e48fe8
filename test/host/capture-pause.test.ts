/**
 * Pause in the app's capture (HostCapture, behind both hosts' Pause/Resume): the helper records
 * nothing while paused, and the trace marks the gap — a capture.lost row with source `pause` at
 * its start whose latency is the pause's length, and a `paused` entry in the metadata's gaps.
 * Root only; narrowed to its own ports.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HostCapture } from '../../electron/host/host-capture.js';
import { openTrace } from '../../electron/services/input-file.js';
import { RowReader } from '../../renderer/engine/values/field-values.js';
import { captureSkipReason, freePort, runPython } from '../capture/live.js';

const skip = captureSkipReason();
const capture = new HostCapture();
after(() => capture.close());

const udp = (port: number) => `import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', ${port}))`;

test('pause records nothing and leaves a marked gap of its length in the trace', { skip, timeout: 60_000 }, async () => {
  const [before, during, afterwards] = [await freePort(), await freePort(), await freePort()];
  const ports = [before, during, afterwards].map((p) => ({ type: 'dst' as const, direction: 'both' as const, from: p }));
  await capture.start({ classes: [], enable: ['pkt.udp'], ports });
  await runPython(udp(before));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await capture.pause()).state, 'paused');
  const pausedAt = process.hrtime.bigint();
  await runPython(udp(during));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await capture.resume()).state, 'running');
  const pauseNs = Number(process.hrtime.bigint() - pausedAt);
  await runPython(udp(afterwards));
  await new Promise((r) => setTimeout(r, 300));
  await capture.stop();

  const { store } = await openTrace(capture.tracePath!);
  const reader = new RowReader(store);
  const rows = Array.from({ length: store.rowCount }, (_x, r) => {
    const b = store.batchOf(r);
    return reader.object(b, r - store.batchStart[b]!);
  });
  const udpTo = (port: number) => rows.filter((r) => r.event === 'pkt.udp' && r.dport === port).length;
  assert.deepEqual([udpTo(before), udpTo(during), udpTo(afterwards)], [1, 0, 1], 'the datagram sent while paused is not recorded');
  const gaps = rows.filter((r) => r.event === 'capture.lost');
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0]!.source, 'pause');
  const length = Number(gaps[0]!.latency_ns);
  assert.ok(length >= 300e6 && length <= pauseNs + 50e6, `the gap lasts the pause (${length} ns of ${pauseNs})`);
  const sent = rows.filter((r) => r.event === 'pkt.udp').map((r) => BigInt(String(r.ts_ns)));
  const at = BigInt(String(gaps[0]!.ts_ns));
  assert.ok(sent[0]! < at && at < sent[1]!, 'marked between the datagram before and the one after');
  assert.deepEqual(
    (store.meta.extra.gaps as { reason: string }[]).map((g) => g.reason),
    ['paused'],
  );
});
