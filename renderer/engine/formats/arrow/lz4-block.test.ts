import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lz4 from 'lz4js';
import { lz4BlockBound, lz4CompressBlock, lz4ZeroBlock } from './lz4-block.js';
import { lz4EncodeForArrow, lz4FrameDecode, markZeroFilled } from './lz4-codec.js';
import { mulberry32 } from '../../../../test/support/rng.js';

function roundTrip(src: Uint8Array, start = 0, end = src.length): number {
  const dst = new Uint8Array(lz4BlockBound(end - start) + 3);
  const packedEnd = lz4CompressBlock(src, start, end, dst, 3);
  if (packedEnd < 0) return -1;
  const out = new Uint8Array(end - start);
  const got = lz4.decompressBlock(dst, out, 3, packedEnd - 3, 0);
  assert.equal(got, end - start);
  assert.deepEqual(out, src.subarray(start, end));
  return packedEnd - 3;
}

test('column-like data (runs, repeats with periods 1–64, counters) round-trips and shrinks', () => {
  const rand = mulberry32(7);
  const n = 200_000;
  const runs = new Uint8Array(n);
  for (let i = 0, v = 0; i < n; i++) {
    if (rand() < 0.01) v = Math.floor(rand() * 256);
    runs[i] = v;
  }
  const u64 = new Uint8Array(n);
  const dv = new DataView(u64.buffer);
  for (let i = 0, v = 6152; i + 8 <= n; i += 8) {
    if (rand() < 0.3) v = 6152 + Math.floor(rand() * 3);
    dv.setUint32(i, v, true);
  }
  const counter = new Uint8Array(new Uint32Array(n / 4).map((_, i) => i >>> 4).buffer); // one value per 16 rows
  for (const data of [runs, u64, counter]) {
    const size = roundTrip(data);
    assert.ok(size > 0 && size < data.length / 2, `compressed to ${size} of ${data.length}`);
  }
  for (let period = 1; period <= 64; period *= 2) {
    const p = Uint8Array.from({ length: 10_000 }, (_, i) => (i % period) * 37);
    assert.ok(roundTrip(p) < 200 + 2 * period);
  }
});

test('a range inside a larger buffer, every short length, and stale hash entries of earlier calls', () => {
  const rand = mulberry32(11);
  const big = Uint8Array.from({ length: 50_000 }, (_, i) => (i % 1000 < 500 ? 0 : Math.floor(rand() * 4)));
  roundTrip(big, 1234, 45_678);
  for (let len = 0; len < 40; len++) {
    const src = new Uint8Array(len).fill(9);
    const r = roundTrip(src);
    assert.ok(r === -1 || r < len);
  }
  // Same content right after a different buffer: entries of the first call must not be used.
  const a = Uint8Array.from({ length: 30_000 }, (_, i) => i % 251);
  const b = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 7) % 253);
  roundTrip(a);
  roundTrip(b);
  roundTrip(a);
});

test('incompressible input is refused (-1) instead of growing', () => {
  const rand = mulberry32(3);
  const noise = Uint8Array.from({ length: 100_000 }, () => Math.floor(rand() * 256));
  assert.equal(roundTrip(noise), -1);
  assert.equal(lz4EncodeForArrow(noise), noise, 'Arrow stores it uncompressed (length -1)');
});

test('zero blocks are written without reading and decode to zeros', () => {
  for (const n of [13, 14, 100, 270, 65_536, 1_000_003]) {
    const dst = new Uint8Array(n / 200 + 32);
    const end = lz4ZeroBlock(n, dst, 0);
    const out = new Uint8Array(n).fill(1);
    assert.equal(lz4.decompressBlock(dst, out, 0, end, 0), n);
    assert.ok(out.every((x) => x === 0));
  }
  assert.equal(lz4ZeroBlock(12, new Uint8Array(32), 0), -1);
  const zeros = new ArrayBuffer(5 << 20);
  markZeroFilled(zeros);
  for (const n of [5, 64, 4096, 5 << 20]) {
    const frame = lz4EncodeForArrow(new Uint8Array(zeros, 0, n));
    assert.deepEqual(lz4FrameDecode(frame), new Uint8Array(n));
  }
});
