import { test } from 'node:test';
import assert from 'node:assert/strict';
import { radixSortByKey } from './radix.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

test('sorts by a 32-bit key, stable among equal keys', () => {
  const next = lcg(9);
  const n = 5000;
  const items = Uint32Array.from({ length: n }, (_, i) => i);
  const lo = Uint32Array.from({ length: n }, () => next() % 50 === 0 ? 0xffffffff : next() & 0x3ffff);
  const expected = Array.from(items).sort((a, b) => lo[a]! - lo[b]! || a - b);
  radixSortByKey(items, lo);
  assert.deepEqual(Array.from(items), expected);
  for (let i = 1; i < n; i++) assert.ok(lo[i - 1]! <= lo[i]!);
});

test('sorts by a 64-bit key (hi, lo)', () => {
  const next = lcg(4);
  const n = 3000;
  const items = Uint32Array.from({ length: n }, (_, i) => i);
  const hi = Uint32Array.from({ length: n }, () => next() % 3);
  const lo = Uint32Array.from({ length: n }, () => next());
  const key = (i: number) => hi[i]! * 2 ** 32 + lo[i]!;
  const expected = Array.from(items).sort((a, b) => key(a) - key(b) || a - b);
  radixSortByKey(items, lo, hi);
  assert.deepEqual(Array.from(items), expected);
});

test('equal keys keep their order', () => {
  const items = Uint32Array.from([5, 3, 9]);
  radixSortByKey(items, Uint32Array.from([7, 7, 7]));
  assert.deepEqual(Array.from(items), [5, 3, 9]);
});
