import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBudget } from './restart-budget.js';

test('a helper that dies now and then is always restarted', () => {
  const budget = new RestartBudget(5, 60_000);
  // one death a minute, for a day
  for (let minute = 0; minute < 24 * 60; minute++) assert.equal(budget.allow(minute * 60_000), true, `death at minute ${minute}`);
});

test('a helper that dies max times within the window is not restarted again', () => {
  const budget = new RestartBudget(5, 60_000);
  assert.deepEqual([0, 1_000, 2_000, 3_000].map((t) => budget.allow(t)), [true, true, true, true]);
  assert.equal(budget.allow(59_999), false, 'the fifth death within 60 s');
});

test('deaths older than the window no longer count', () => {
  const budget = new RestartBudget(3, 10_000);
  assert.equal(budget.allow(0), true);
  assert.equal(budget.allow(5_000), true);
  // the death at 0 is 10 s old: two in the window, this one included
  assert.equal(budget.allow(10_000), true);
  assert.equal(budget.allow(11_000), false, 'three within 10 s: 5 000, 10 000, 11 000');
});
