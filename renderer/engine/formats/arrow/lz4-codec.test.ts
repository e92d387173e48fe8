import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { lz4FrameDecode, lz4FrameEncode } from './lz4-codec.js';

const sample = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i % 97 < 50 ? 0 : (i * 31) % 251));

test('LZ4 frames round-trip, across the 4 MiB block boundary too', () => {
  for (const n of [0, 1, 15, 1000, 5 << 20]) {
    const data = sample(n);
    assert.deepEqual(lz4FrameDecode(lz4FrameEncode(data)), data);
  }
});

test('LZ4 frames are standard: the lz4 tool decodes ours and we decode its', (t) => {
  const probe = spawnSync('lz4', ['--version']);
  if (probe.error) return t.skip('lz4 command not installed');
  const data = sample(300_000);
  const ours = spawnSync('lz4', ['-d', '-c'], { input: lz4FrameEncode(data) });
  assert.equal(ours.status, 0, ours.stderr.toString());
  assert.deepEqual(new Uint8Array(ours.stdout), data);
  const theirs = spawnSync('lz4', ['-c', '-q'], { input: data });
  assert.deepEqual(lz4FrameDecode(new Uint8Array(theirs.stdout)), data);
});

test('a frame claiming more than LZ4 can expand to is refused before allocating', () => {
  const frame = lz4FrameEncode(sample(100));
  frame[10] = 0x7f; // content size high bytes: terabytes
  assert.throws(() => lz4FrameDecode(frame), /claims/);
});
