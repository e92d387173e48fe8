import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tickStep, timeTicks, wallClock } from './time-axis.js';

test('tickStep picks the smallest 1-2-5 step at least the spacing apart', () => {
  assert.equal(tickStep(1e9, 1100, 110), 1e8); // 10 ticks over a second
  assert.equal(tickStep(1e9, 1000, 110), 2e8);
  assert.equal(tickStep(1000, 500, 100), 200);
});

test('wallClock prints UTC time of day with the requested fraction digits', () => {
  const t = 1_700_000_000_123_456_789n; // 2023-11-14T22:13:20.123456789Z
  assert.equal(wallClock(t, 0), '22:13:20');
  assert.equal(wallClock(t, 3), '22:13:20.123');
  assert.equal(wallClock(t, 6), '22:13:20.123456');
});

test('timeTicks are aligned to whole steps of epoch time and cover the window', () => {
  const epochOfZero = 1_700_000_000_000_000_000n + 123_456n; // relative 0 is not on a tick
  const ticks = timeTicks(0, 1e6, 1000, epochOfZero); // 1 ms over 1000 px, ≥ 110 px apart: 200 µs steps
  assert.equal(ticks.length, 5);
  for (const tick of ticks) assert.equal((epochOfZero + BigInt(tick.t)) % 200_000n, 0n);
  assert.equal(ticks[0]!.t, 200_000 - 123_456);
  assert.equal(ticks[0]!.label, '22:13:20.0002');
  assert.deepEqual(timeTicks(5, 5, 100, 0n), []);
});
