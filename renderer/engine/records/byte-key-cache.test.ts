import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteKeyCache } from './byte-key-cache.js';

test('ByteKeyCache returns the id of each 16-byte key, asking the dictionary only for keys it does not hold', () => {
  const keys = Array.from({ length: 300 }, (_, k) => Uint8Array.from({ length: 16 }, (_, i) => (k * 7 + i * (k % 5)) & 255));
  const bytes = new Uint8Array(16 * keys.length + 3);
  keys.forEach((key, k) => bytes.set(key, 3 + 16 * k)); // unaligned, as a comm inside a record is
  const view = new DataView(bytes.buffer);
  const dict = new Map<string, number>();
  let misses = 0;
  const miss = (v: DataView, at: number): number => {
    misses++;
    const text = [...new Uint8Array(v.buffer, at, 16)].join(',');
    if (!dict.has(text)) dict.set(text, dict.size);
    return dict.get(text)!;
  };
  const cache = new ByteKeyCache();
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < keys.length; k++) assert.equal(cache.get(view, 3 + 16 * k, miss), dict.get([...keys[k]!].join(',')), `key ${k}`);
  }
  // The same key over and over is looked up once.
  const before = misses;
  for (let i = 0; i < 100; i++) cache.get(view, 3, miss);
  assert.ok(misses - before <= 1);
});

test('ByteKeyCache.get4 returns the id of each IPv4 address (big-endian), asking only for those it does not hold', () => {
  const addrs = Array.from({ length: 500 }, (_, k) => (0x7f000001 + k * 65599) >>> 0);
  const view = new DataView(new ArrayBuffer(4 * addrs.length));
  addrs.forEach((a, k) => view.setUint32(4 * k, a, false));
  const dict = new Map<number, number>();
  const miss = (a: number): number => {
    if (!dict.has(a)) dict.set(a, dict.size);
    return dict.get(a)!;
  };
  const cache = new ByteKeyCache();
  for (let round = 0; round < 3; round++) for (let k = 0; k < addrs.length; k++) assert.equal(cache.get4(view, 4 * k, miss), dict.get(addrs[k]!));
  assert.equal(dict.size, addrs.length);
});
