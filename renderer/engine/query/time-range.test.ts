import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../store/event-store.js';
import { TimeIndex } from '../index/time-index.js';
import { timeRangeMask } from './time-range.js';
import { appendTestRows } from '../../../test/support/synthetic-events.js';

test('rows in [t0, t1) as a mask, within another mask', () => {
  const rows = (...ts: number[]) => ts.map((t) => ({ ts: t, event: 'pkt.tcp' }));
  const store = appendTestRows(new EventStore(), [rows(10, 20, 30), rows(5, 25, 100)]);
  const time = new TimeIndex(store);
  const m = timeRangeMask(store, time, 20, 30);
  assert.deepEqual(Array.from(m.bits), [0, 1, 0, 0, 1, 0]);
  assert.equal(m.count, 2);
  const within = timeRangeMask(store, time, 0, 50, { bits: Uint8Array.from([1, 1, 1, 1, 0, 1]), count: 5 });
  assert.deepEqual(Array.from(within.bits), [1, 1, 1, 1, 0, 0]);
  assert.equal(timeRangeMask(store, time, 200, 300).count, 0);
});
