import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveMessage } from '../ipc/events.js';
import { LiveBatchSender } from './live-batches.js';

function fixture(maxBytes = 1024) {
  const sent: LiveMessage[] = [];
  let closed = false;
  const timers: Array<() => void> = [];
  const sender = new LiveBatchSender(
    { postMessage: (m) => sent.push(m), close: () => (closed = true) },
    { intervalMs: 25, maxBytes, setTimer: (fn) => timers.push(fn), clearTimer: () => undefined },
  );
  return { sender, sent, timers, isClosed: () => closed };
}

test('frames wait for the timer and leave together as one ArrayBuffer, in order', () => {
  const { sender, sent, timers } = fixture();
  sender.push(Uint8Array.of(1, 2));
  sender.push(Uint8Array.of(3));
  sender.push(new Uint8Array(0));
  assert.equal(sent.length, 0);
  assert.equal(timers.length, 1, 'one timer for the whole flush');
  timers[0]!();
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.seq, 0);
  assert.ok(sent[0]!.bytes instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(sent[0]!.bytes)], [1, 2, 3]);
  sender.push(Uint8Array.of(4));
  timers[1]!();
  assert.deepEqual(
    sent.map((m) => m.seq),
    [0, 1],
  );
  assert.equal(sender.sent, 2);
});

test('reaching maxBytes flushes at once; close flushes the rest and closes the port', () => {
  const { sender, sent, isClosed } = fixture(4);
  sender.push(Uint8Array.of(1, 2, 3));
  assert.equal(sent.length, 0);
  sender.push(Uint8Array.of(4, 5));
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.bytes.byteLength, 5);
  sender.push(Uint8Array.of(6));
  sender.close();
  assert.equal(sent.length, 2);
  assert.deepEqual([...new Uint8Array(sent[1]!.bytes)], [6]);
  assert.equal(isClosed(), true);
  sender.push(Uint8Array.of(7));
  sender.flush();
  assert.equal(sent.length, 2, 'nothing is sent after close');
});

test('the buffer sent is a copy: reusing the frame buffer afterwards does not change it', () => {
  const { sender, sent, timers } = fixture();
  const frame = Uint8Array.of(9, 9);
  sender.push(frame);
  timers[0]!();
  frame.fill(0);
  assert.deepEqual([...new Uint8Array(sent[0]!.bytes)], [9, 9]);
});
