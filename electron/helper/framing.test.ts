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
