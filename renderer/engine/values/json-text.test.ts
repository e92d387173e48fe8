import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from './json-text.js';

test('bigints are exact integers; everything else is as JSON.stringify writes it', () => {
  const value = { ts_ns: 1_700_000_000_123_456_789n, name: 'a "q"', list: ['x', 1.5], nested: { b: -5n, skip: undefined }, n: null };
  assert.equal(jsonText(value), '{"ts_ns":1700000000123456789,"name":"a \\"q\\"","list":["x",1.5],"nested":{"b":-5},"n":null}');
  const plain = { s: 'émoji 🚀 \u0001', arr: [true, 0, ''], o: {} };
  assert.equal(jsonText(plain), JSON.stringify(plain));
});

test('a string that looks like the old bigint marker stays a string', () => {
  assert.equal(jsonText({ comm: '\u0000123' }), '{"comm":"\\u0000123"}');
});
