import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../engine.js';
import { EVENTS } from '../model/events.js';
import { EventStore } from '../store/event-store.js';
import { appendSyntheticEvents, appendTestRows } from '../../../test/support/synthetic-events.js';
import { GROUP_PROGRESS_MIN_ROWS, MAX_GROUPS, NO_GROUP_KEY, OTHER_GROUP_KEY } from './lane-groups.js';

test('process lanes: one per pid and command, busiest first, with their rows bucketed by time', () => {
  const engine = new Engine({
    store: appendTestRows(new EventStore(), [
      [
        { ts: 0, event: 'pkt.tcp', pid: 7, comm: 'curl' },
        { ts: 10, event: 'sock.connect_error', pid: 7, comm: 'curl' },
        { ts: 11, event: 'pkt.tcp', pid: 7, comm: 'curl' },
        { ts: 50, event: 'pkt.udp', pid: 9, comm: 'dig' },
        { ts: 99, event: 'pkt.udp' },
      ],
    ]),
  });
  const lod = engine.groupLod({ groupBy: 'process', t0: 0, t1: 100, width: 10 });
  assert.deepEqual(
    lod.groups.map((g) => [g.key, g.label, g.count]),
    [
      ['7:0', '7 curl', 3],
      ['9:1', '9 dig', 1],
      [NO_GROUP_KEY, 'no process', 1],
    ],
  );
  // Lane 0 (7 curl): column 0 holds ts 0, column 1 holds ts 10 and 11; the error is the most severe.
  assert.deepEqual(Array.from(lod.counts.subarray(0, 10)), [1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(EVENTS[lod.dominant[1]!]!.id, 'sock.connect_error');
  assert.equal(lod.counts[1 * 10 + 5], 1);
  assert.equal(lod.counts[2 * 10 + 9], 1);
  // A filter keeps only its rows' groups.
  const filtered = engine.groupLod({ groupBy: 'process', t0: 0, t1: 100, width: 10, filter: 'ps.comm = "dig"' });
  assert.deepEqual(filtered.groups.map((g) => g.label), ['9 dig']);
  assert.equal(engine.rowPlace({ row: 3, groupBy: 'process' }).group, filtered.groups[0]!.key);
});

test('connection lanes join both directions of a connection', () => {
  const engine = new Engine({
    store: appendTestRows(new EventStore(), [
      [
        { ts: 1, event: 'pkt.tcp', proto: 6, saddr: '10.0.0.1', sport: 4000, daddr: '10.0.0.2', dport: 80 },
        { ts: 2, event: 'pkt.tcp', proto: 6, saddr: '10.0.0.2', sport: 80, daddr: '10.0.0.1', dport: 4000 },
        { ts: 3, event: 'pkt.tcp', proto: 6, saddr: '10.0.0.1', sport: 4001, daddr: '10.0.0.2', dport: 80 },
        { ts: 4, event: 'pkt.udp', proto: 17, saddr: '::1', sport: 53, daddr: '::1', dport: 5353 },
      ],
    ]),
  });
  const lod = engine.groupLod({ groupBy: 'connection', t0: 0, t1: 10, width: 1 });
  assert.deepEqual(
    lod.groups.map((g) => [g.label, g.count]),
    [
      ['TCP 10.0.0.1:4000 ↔ 10.0.0.2:80', 2],
      ['TCP 10.0.0.1:4001 ↔ 10.0.0.2:80', 1],
      ['UDP [::1]:53 ↔ [::1]:5353', 1],
    ],
  );
});

test('group lanes match a brute-force count, and past MAX_GROUPS the rest share one lane', () => {
  const store = new EventStore();
  appendSyntheticEvents(store, { count: 20_000, seed: 5, batchRows: 4096 });
  const engine = new Engine({ store });
  const lod = engine.groupLod({ groupBy: 'connection', t0: 0, t1: 1e12, width: 7 });
  assert.equal(lod.groups.length, MAX_GROUPS + 1);
  assert.equal(lod.groups[MAX_GROUPS]!.key, OTHER_GROUP_KEY);
  assert.equal(lod.groups.reduce((n, g) => n + g.count, 0), store.rowCount);
  for (let g = 0; g < lod.groups.length; g++) {
    let sum = 0;
    for (let c = 0; c < 7; c++) sum += lod.counts[g * 7 + c]!;
    assert.equal(sum, lod.groups[g]!.count);
  }
  for (let i = 1; i < MAX_GROUPS; i++) assert.ok(lod.groups[i - 1]!.count >= lod.groups[i]!.count);
  assert.throws(() => engine.groupLod({ groupBy: 'nonsense' as 'process', t0: 0, t1: 1, width: 1 }), /groupBy/);
});

test('the first regroup of a big store reports its progress per batch; a repeat or a small store does not', () => {
  const store = new EventStore();
  appendSyntheticEvents(store, { count: GROUP_PROGRESS_MIN_ROWS + 1000, seed: 3, batchRows: 65536 });
  const engine = new Engine({ store });
  const seen: [number, number][] = [];
  const lod = engine.groupLod({ groupBy: 'process', t0: 0, t1: 1e12, width: 10 }, (done, total) => seen.push([done, total]));
  assert.equal(seen.length, store.batches.length + 1, 'the start and every batch');
  assert.deepEqual(seen[0], [0, store.rowCount]);
  assert.deepEqual(seen.at(-1), [store.rowCount, store.rowCount]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]![0] > seen[i - 1]![0]);
  const again: number[] = [];
  assert.deepEqual(engine.groupLod({ groupBy: 'process', t0: 0, t1: 1e12, width: 10 }, (d) => again.push(d)).groups, lod.groups);
  assert.deepEqual(again, [], 'the assignment is kept');

  const small = new EventStore();
  appendSyntheticEvents(small, { count: 5000, seed: 3 });
  const quiet: number[] = [];
  new Engine({ store: small }).groupLod({ groupBy: 'connection', t0: 0, t1: 1e12, width: 10 }, (d) => quiet.push(d));
  assert.deepEqual(quiet, []);
});
