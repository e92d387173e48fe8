import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng, syntheticTcpStore } from '../../../../test/formats/arrow-synthetic.js';
import { MessageFramer, type FramedMessage } from './message-framer.js';
import { TraceWriter } from './trace-writer.js';

function trace(): Uint8Array {
  const parts: Uint8Array[] = [];
  const store = syntheticTcpStore(5000, 3, 1000);
  const writer = new TraceWriter(store, (c) => parts.push(c.slice()));
  writer.begin();
  for (const b of store.batches) writer.writeBatch(b);
  writer.end();
  return new Uint8Array(Buffer.concat(parts));
}

function frame(bytes: Uint8Array, sizes: () => number): { messages: { offset: number; type: number; bytes: number[] }[]; pending: number; end: boolean } {
  const framer = new MessageFramer();
  const messages: FramedMessage[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = Math.min(bytes.length - at, sizes());
    messages.push(...framer.push(bytes.subarray(at, at + n)));
    at += n;
  }
  return { messages: messages.map((m) => ({ offset: m.offset, type: m.type, bytes: [...m.bytes] })), pending: framer.pendingBytes, end: framer.sawEnd };
}

test('messages come out the same whatever the chunks: whole, byte by byte, random sizes, cut inside headers', () => {
  const bytes = trace();
  const whole = frame(bytes, () => bytes.length);
  assert.ok(whole.messages.length > 10);
  assert.equal(whole.pending, 0);
  assert.ok(whole.end);
  // Messages tile the stream up to the 8-byte end marker.
  let at = 0;
  for (const m of whole.messages) {
    assert.equal(m.offset, at);
    at += m.bytes.length;
  }
  assert.equal(at, bytes.length - 8);
  assert.deepEqual(frame(bytes, () => 1), whole);
  for (const small of [3, 7, 13, 4096]) assert.deepEqual(frame(bytes, () => small), whole, `chunks of ${small}`);
  const rand = rng(5);
  assert.deepEqual(frame(bytes, () => 1 + Math.floor(rand() * 30_000)), whole);
});

test('a stream cut short leaves its incomplete message pending', () => {
  const bytes = trace();
  const whole = frame(bytes, () => bytes.length);
  const last = whole.messages[whole.messages.length - 1]!;
  const cut = bytes.subarray(0, last.offset + 5);
  for (const size of [1, 100, cut.length]) {
    const r = frame(cut, () => size);
    assert.equal(r.messages.length, whole.messages.length - 1);
    assert.equal(r.pending, 5);
    assert.equal(r.end, false);
  }
});
