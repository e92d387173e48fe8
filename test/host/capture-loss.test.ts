/**
 * The capture the app runs (HostCapture, behind both hosts) reports loss the way the UI shows it:
 * a ring buffer that overruns gives the status's `lost` count (the capture bar's indicator) and,
 * in the trace the page imports, capture.lost rows at the time of the loss whose counts add up to
 * it (the timeline's loss marks). Root only; narrowed to its own port (other captures may run).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HostCapture } from '../../electron/host/host-capture.js';
import { openTrace } from '../../electron/services/input-file.js';
import { RowReader } from '../../renderer/engine/values/field-values.js';
import { captureSkipReason, freePort, runPython } from '../capture/live.js';

const skip = captureSkipReason();
const capture = new HostCapture({ captureOptions: { ringBufferBytes: 4096, drainIntervalMs: 1000 } });
after(() => capture.close());

test('an overrun ring: the status counts the loss and the trace marks it with capture.lost rows', { skip, timeout: 60_000 }, async () => {
  const port = await freePort();
  const started = await capture.start({ classes: [], enable: ['pkt.udp'], ports: [{ type: 'dst', direction: 'both', from: port }] });
  assert.equal(started.state, 'running');
  await runPython(`import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor i in range(3000):\n    s.sendto(b'x', ('127.0.0.1', ${port}))`);
  await new Promise((r) => setTimeout(r, 1500));
  const final = await capture.stop();
  assert.ok(final.lost > 0, `the burst must overrun a 4 KiB ring (lost ${final.lost})`);
  assert.ok(final.records > 0);

  const { store } = await openTrace(capture.tracePath!);
  const reader = new RowReader(store);
  let lostRows = 0;
  let lostSum = 0;
  let udp = 0;
  for (let r = 0; r < store.rowCount; r++) {
    const b = store.batchOf(r);
    const row = reader.object(b, r - store.batchStart[b]!);
    if (row.event === 'capture.lost') {
      lostRows++;
      lostSum += row.lost as number;
    } else if (row.event === 'pkt.udp') udp++;
  }
  assert.ok(lostRows > 0, 'the loss is in the trace as capture.lost rows');
  assert.equal(lostSum, final.lost, 'their counts add up to the status the capture bar shows');
  assert.equal(udp + final.lost, 3000, 'every datagram is either a row or counted lost');
  assert.equal(final.traceBytes, capture.read(0, 1 << 30)!.length, 'the page can read every byte the status counts');
});
