import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendSyntheticEvents } from '../../../test/support/synthetic-events.js';
import { EventStore } from '../store/event-store.js';
import { buildFlows } from './build.js';
import { groupByTuple } from './group.js';

const rows = { count: 30_000, seed: 7, jitterNs: 3000 };

function synthetic(batchRows: number): EventStore {
  const store = new EventStore();
  appendSyntheticEvents(store, { ...rows, batchRows });
  return store;
}

test('flows are the same however the rows are cut into batches (column forms differ per batch; rows come out of order)', () => {
  const whole = buildFlows(synthetic(65536));
  const cut = buildFlows(synthetic(333));
  assert.ok(whole.flows.length > 100, `${whole.flows.length} flows`);
  const statuses = new Set(whole.flows.map((f) => f.handshake.status));
  assert.ok(statuses.has('established') && statuses.has('refused') && statuses.has('incomplete'), [...statuses].join());
  assert.deepEqual(cut.flows, whole.flows);
  assert.deepEqual(cut.rows, whole.rows);
  assert.deepEqual(cut.ts, whole.ts);
  assert.deepEqual(cut.fromClient, whole.fromClient);
  assert.deepEqual(cut.start, whole.start);
});

test('grouping keeps every TCP row once, each tuple in time order', () => {
  const store = synthetic(1000);
  const g = groupByTuple(store);
  const seen = new Uint8Array(store.rowCount);
  for (let t = 0; t < g.tuples.length; t++) {
    for (let i = g.start[t]! + 1; i < g.start[t + 1]!; i++) assert.ok(g.times[i - 1]! <= g.times[i]!, `tuple ${t} entry ${i} out of order`);
  }
  for (const row of g.rows) seen[row]!++;
  assert.ok(seen.every((n) => n <= 1), 'a row placed twice');
  assert.ok(g.length > rows.count / 2, `${g.length} of ${rows.count} rows grouped`);
});

test('a rebuild into the buffers of the table it replaces gives the same table, as the store grows too; the old table refuses use', () => {
  const store = synthetic(4096);
  const first = buildFlows(store);
  const fresh = { flows: first.flows, rows: first.rows.slice(), ts: first.ts.slice(), fromClient: first.fromClient.slice(), start: first.start };
  const again = buildFlows(store, first);
  assert.throws(() => first.flow(0), /used after it was rebuilt/);
  assert.deepEqual(again.flows, fresh.flows);
  assert.deepEqual([again.rows, again.ts, again.fromClient, again.start], [fresh.rows, fresh.ts, fresh.fromClient, fresh.start]);
  const countBefore = again.count;
  appendSyntheticEvents(store, { count: 2000, seed: 8, startNs: 1_714_564_900_000_000_000n });
  const grown = buildFlows(store, again);
  const alone = buildFlows(store);
  assert.throws(() => again.count, /used after it was rebuilt/);
  assert.ok(grown.count >= countBefore && grown.rows.length > fresh.rows.length);
  assert.deepEqual(grown.flows, alone.flows);
  assert.deepEqual([grown.rows, grown.ts, grown.fromClient, grown.start], [alone.rows, alone.ts, alone.fromClient, alone.start]);
});
