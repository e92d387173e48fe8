import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from './engine.js';
import { appendTestRows } from '../../test/support/synthetic-events.js';

test('counts of all rows are computed once until the store grows', () => {
  const engine = new Engine();
  appendTestRows(engine.store, [[{ ts: 100, event: 'pkt.tcp', pid: 1, comm: 'curl' }]]);
  const first = engine.counts();
  // info (after an open) and the timeline both ask: the second answer is the same object, not a recount.
  assert.equal(engine.counts({ filter: ' ' }), first);
  assert.equal(engine.info().events, 1);
  assert.notEqual(engine.counts({ filter: 'ps.pid = 1' }), first);
  appendTestRows(engine.store, [[{ ts: 200, event: 'sock.connect', pid: 2, comm: 'dig' }]]);
  const grown = engine.counts();
  assert.notEqual(grown, first);
  assert.equal(grown.events, 2);
  assert.deepEqual(grown.byEvent, { 'pkt.tcp': 1, 'sock.connect': 1 });
  assert.equal(first.events, 1, 'an earlier answer is left as it was');
});
