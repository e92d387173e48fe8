import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieList } from './cookie-list.js';

test('cookie list keeps each cookie once, in the order first seen, with its first value, past its initial room', () => {
  const list = new CookieList();
  // 64-bit socket cookies as the store holds them (doubles), more than the 8 the list starts with
  const cookies = Array.from({ length: 20 }, (_, k) => 2 ** 40 + k * 4097);
  for (const [k, c] of cookies.entries()) list.add(c, k % 2);
  for (const c of cookies) list.add(c, 1); // again: neither added nor revalued
  assert.equal(list.size, 20);
  assert.deepEqual(list.list(), cookies);
  assert.equal(list.get(cookies[4]!, -1), 0);
  assert.equal(list.get(cookies[5]!, -1), 1);
  // values past the initial room grew with their cookies
  assert.equal(list.get(cookies[17]!, -1), 1);
  assert.equal(list.get(cookies[18]!, -1), 0);
  assert.equal(list.get(12345, -1), -1);
  assert.equal(list.has(cookies[19]!), true);
  list.clear();
  assert.equal(list.size, 0);
  assert.equal(list.has(cookies[0]!), false);
  list.add(7, 1);
  assert.deepEqual(list.list(), [7]);
});
