import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeJson, encodeMessage, MessageKind, MessageReader } from './framing.js';

test('messages come back whole and in order whatever the chunk boundaries', () => {
  const frame = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
  const stream = Buffer.concat([...encodeJson({ type: 'reply', id: 1, ok: true }), ...encodeMessage(MessageKind.frame, frame), ...encodeJson({ type: 'stats', lost: 0 })]);
  for (const size of [1, 3, 7, 8, 9, 100, stream.length]) {
    const reader = new MessageReader();
    const got = [];
    for (let off = 0; off < stream.length; off += size) got.push(...reader.push(stream.subarray(off, off + size)));
    assert.equal(got.length, 3, `chunk ${size}`);
    assert.deepEqual(got[0], { kind: 2, json: { type: 'reply', id: 1, ok: true } });
    assert.equal(got[1]!.kind, 1);
    assert.deepEqual(got[1]!.kind === 1 && Array.from(got[1]!.frame), Array.from(frame));
    assert.deepEqual(got[2], { kind: 2, json: { type: 'stats', lost: 0 } });
    assert.equal(reader.buffered, 0);
  }
});

test('a corrupt header is an error, not a huge allocation', () => {
  const bad = new Uint8Array(8);
  new DataView(bad.buffer).setUint32(0, 7, true);
  assert.throws(() => new MessageReader().push(bad), /corrupt/);
  new DataView(bad.buffer).setUint32(0, 1, true);
  new DataView(bad.buffer).setUint32(4, 0xffffffff, true);
  assert.throws(() => new MessageReader().push(bad), /corrupt/);
});

test('a message inside one chunk is a view of it; one across chunks is assembled once, exactly sized', () => {
  const frame = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
  const stream = Buffer.concat([...encodeMessage(MessageKind.frame, frame), ...encodeMessage(MessageKind.frame, frame)]);
  const whole = new MessageReader().push(stream);
  assert.equal(whole.length, 2);
  const first = whole[0]!.kind === 1 ? whole[0]!.frame : undefined;
  assert.equal(first?.buffer, stream.buffer, 'no copy');
  const reader = new MessageReader();
  const split = [...reader.push(stream.subarray(0, 100)), ...reader.push(stream.subarray(100, 312)), ...reader.push(stream.subarray(312))];
  assert.equal(split.length, 2);
  for (const m of split) {
    assert.ok(m.kind === 1);
    assert.deepEqual(Array.from(m.frame), Array.from(frame));
    assert.equal(m.frame.buffer.byteLength, 300, 'its own buffer, of its exact size');
  }
  assert.equal(reader.buffered, 0);
});

test('a frame with an empty payload and a header split byte by byte', () => {
  const stream = Buffer.concat([...encodeMessage(MessageKind.frame, new Uint8Array(0)), ...encodeJson({ ok: 1 })]);
  const reader = new MessageReader();
  const got = [];
  for (let i = 0; i < stream.length; i++) got.push(...reader.push(stream.subarray(i, i + 1)));
  assert.equal(got.length, 2);
  assert.ok(got[0]!.kind === 1 && got[0]!.frame.length === 0);
  assert.deepEqual(got[1], { kind: 2, json: { ok: 1 } });
});

test('transient: frames spanning chunks reuse two buffers in turn and each is whole when returned', () => {
  const frames = Array.from({ length: 12 }, (_, k) => Uint8Array.from({ length: 200 + k * 37 }, (_, i) => (i * 13 + k) & 255));
  const stream = Buffer.concat(frames.flatMap((f) => encodeMessage(MessageKind.frame, f)));
  for (const size of [5, 64, 150, 333]) {
    const reader = new MessageReader({ transient: true });
    const buffers = new Set<ArrayBufferLike>();
    let n = 0;
    for (let off = 0; off < stream.length; off += size) {
      for (const m of reader.push(stream.subarray(off, off + size))) {
        assert.ok(m.kind === 1);
        // checked now: the message is only valid until the next push
        assert.deepEqual(Array.from(m.frame), Array.from(frames[n]!), `chunk ${size}, frame ${n}`);
        if (m.frame.buffer !== stream.buffer) buffers.add(m.frame.buffer);
        n++;
      }
    }
    assert.equal(n, frames.length, `chunk ${size}`);
    // growing frames may replace a buffer once or twice; never one allocation per frame
    assert.ok(buffers.size <= 6, `chunk ${size}: ${buffers.size} buffers for ${n} frames`);
  }
});
