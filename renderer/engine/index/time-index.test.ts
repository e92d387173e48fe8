import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../store/event-store.js';
import { TimeIndex } from './time-index.js';
import { appendSyntheticEvents, appendTestRows } from '../../../test/support/synthetic-events.js';

const rows = (...ts: number[]) => ts.map((t) => ({ ts: t, event: 'pkt.tcp' }));

/** Every row's ts in time-position order, read through the index. */
function timesInOrder(store: EventStore, index: TimeIndex): number[] {
  return Array.from({ length: index.length }, (_, p) => index.tsOfRow(index.rowAt(p)));
}

test('batches in time order need no permutation', () => {
  const store = appendTestRows(new EventStore(), [rows(1, 2, 2, 5), rows(5, 7, 9)]);
  const index = new TimeIndex(store);
  assert.equal(index.order, null);
  assert.equal(index.firstTs, 1);
  assert.equal(index.lastTs, 9);
  assert.equal(index.lowerBound(2), 1);
  assert.equal(index.upperBound(2), 3);
  assert.equal(index.lowerBound(5), 3);
  assert.equal(index.upperBound(5), 5);
  assert.equal(index.lowerBound(0), 0);
  assert.equal(index.lowerBound(10), 7);
  assert.deepEqual(index.range(2, 7), [1, 5]);
  assert.deepEqual(index.range(8, 3), [6, 6]);
});

test('an earlier batch appended later is merged into the order, ties keeping row order', () => {
  const store = new EventStore();
  const index = new TimeIndex(store);
  appendTestRows(store, [rows(10, 20, 30)]);
  assert.equal(index.order, null);
  appendTestRows(store, [rows(5, 20, 25)]);
  assert.deepEqual(Array.from(index.order!), [3, 0, 1, 4, 5, 2]);
  appendTestRows(store, [rows(40, 41)]);
  assert.deepEqual(Array.from(index.order!), [3, 0, 1, 4, 5, 2, 6, 7]);
  assert.deepEqual(index.range(20, 30), [2, 5]);
  assert.equal(index.lastTs, 41);
  assert.equal(index.firstTs, 5);
});

test('rows out of order inside a batch are sorted stably', () => {
  const store = appendTestRows(new EventStore(), [rows(3, 1, 2, 1)]);
  const index = new TimeIndex(store);
  assert.deepEqual(Array.from(index.order!), [1, 3, 2, 0]);
  assert.equal(index.lowerBound(2), 2);
});

test('jittered synthetic input gives the same order as a full stable sort', () => {
  const store = new EventStore();
  const index = new TimeIndex(store);
  appendSyntheticEvents(store, { count: 20000, batchRows: 700, jitterNs: 5000, seed: 7 });
  const expected = Array.from({ length: store.rowCount }, (_, r) => r).sort((a, b) => index.tsOfRow(a) - index.tsOfRow(b) || a - b);
  assert.notEqual(index.order, null);
  assert.deepEqual(Array.from(index.order!), expected);
  const times = timesInOrder(store, index);
  const t = times[12345]!;
  assert.equal(index.lowerBound(t), times.indexOf(t));
  // An index made after the rows arrived sees the same order.
  assert.deepEqual(Array.from(new TimeIndex(store).order!), expected);
});
