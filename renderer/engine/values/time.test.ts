import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoMicros } from './time.js';

test('ISO-8601 UTC with microseconds, truncating below the µs', () => {
  assert.equal(isoMicros(0n), '1970-01-01T00:00:00.000000Z');
  assert.equal(isoMicros(1_700_000_000_123_456_789n), '2023-11-14T22:13:20.123456Z');
  assert.equal(isoMicros(999n), '1970-01-01T00:00:00.000000Z');
});
