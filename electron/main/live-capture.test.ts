import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveCaptureControl } from '../ipc/app-handlers.js';
import type { CaptureStatus } from '../ipc/contract.js';
import type { LiveMessage } from '../ipc/events.js';
import { LiveBatchSender } from './live-batches.js';
import { PumpedCapture, TracePump } from './live-capture.js';

/** A capture whose trace grows as the test writes to it; statuses as HostCapture answers them. */
class GrowingCapture implements LiveCaptureControl {
  trace = new Uint8Array(0);
  state: CaptureStatus['state'] = 'idle';
  filters: unknown[] = [];
  write(bytes: number[]): void {
    const next = new Uint8Array(this.trace.length + bytes.length);
    next.set(this.trace);
    next.set(bytes, this.trace.length);
    this.trace = next;
  }
  read(from: number, max: number): Uint8Array | null {
    return this.state === 'idle' ? null : this.trace.slice(from, from + max);
  }
  status(): CaptureStatus {
    return { state: this.state, records: 0, lost: 0, traceBytes: this.trace.length, url: '/capture', message: null, filter: null };
  }
  async start(filter: unknown) {
    this.filters.push(filter);
    this.trace = new Uint8Array(0);
    this.state = 'running';
    return this.status();
  }
  async pause() {
    this.state = 'paused';
    return this.status();
  }
  async resume() {
    this.state = 'running';
    return this.status();
  }
  async stop() {
    this.write([99]); // the closing batch is written while stopping
    this.state = 'stopped';
    return this.status();
  }
  async probe() {
    return { available: false, message: 'x', events: [] };
  }
}

function fixture() {
  const capture = new GrowingCapture();
  const sent: LiveMessage[] = [];
  const ticks: Array<() => void> = [];
  const sender = new LiveBatchSender({ postMessage: (m) => sent.push(m), close: () => undefined }, { setTimer: (fn) => ticks.push(fn), clearTimer: () => undefined });
  let stopped = 0;
  const pumpTicks: Array<() => void> = [];
  const pump = new TracePump(capture, () => sender, { chunkBytes: 2, setTimer: (fn) => pumpTicks.push(fn), clearTimer: () => undefined });
  const control = new PumpedCapture(capture, pump, () => stopped++);
  const received = (): number[] => sent.flatMap((m) => [...new Uint8Array(m.bytes)]);
  return { capture, sent, ticks, pumpTicks, control, received, stopped: () => stopped };
}

test('the trace a capture writes reaches the page on the port, in order, as transferable ArrayBuffers', async () => {
  const { capture, sent, ticks, pumpTicks, control, received } = fixture();
  await control.start({ classes: ['core'] });
  assert.deepEqual(capture.filters, [{ classes: ['core'] }], 'the chosen filter reaches the capture');
  capture.write([1, 2, 3, 4, 5]);
  pumpTicks[0]!(); // read in chunks of 2 until nothing is left
  assert.equal(sent.length, 0, 'gathered until the sender flushes');
  ticks.shift()!();
  assert.deepEqual(received(), [1, 2, 3, 4, 5]);
  assert.ok(sent.every((m) => m.bytes instanceof ArrayBuffer));
  capture.write([6]);
  pumpTicks[0]!();
  ticks.shift()!();
  assert.deepEqual(received(), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(sent.map((m) => m.seq), [0, 1]);
});

test('stop posts the rest before it answers: the page has every byte the final status counts', async () => {
  const { capture, control, received, stopped } = fixture();
  await control.start(undefined);
  capture.write([1, 2, 3]);
  const final = await control.stop();
  assert.equal(final.state, 'stopped');
  assert.equal(final.traceBytes, 4);
  assert.deepEqual(received(), [1, 2, 3, 99], 'flushed without waiting for a timer');
  assert.equal(stopped(), 1);
});

test('a new capture is posted from its first byte', async () => {
  const { capture, control, received } = fixture();
  await control.start(undefined);
  capture.write([1, 2]);
  await control.stop();
  await control.start(undefined);
  capture.write([7, 8]);
  await control.stop();
  assert.deepEqual(received(), [1, 2, 99, 7, 8, 99]);
});

test('without a page to post to, the bytes wait in the trace and go out once one is there', async () => {
  const capture = new GrowingCapture();
  const sent: LiveMessage[] = [];
  let sink: LiveBatchSender | null = null;
  const pump = new TracePump(capture, () => sink, { setTimer: () => 0, clearTimer: () => undefined });
  await capture.start(undefined);
  pump.restart();
  capture.write([1, 2, 3]);
  pump.pump();
  assert.equal(pump.posted, 0);
  sink = new LiveBatchSender({ postMessage: (m) => sent.push(m), close: () => undefined }, { setTimer: () => 0, clearTimer: () => undefined });
  pump.finish();
  assert.deepEqual(sent.flatMap((m) => [...new Uint8Array(m.bytes)]), [1, 2, 3]);
});
