import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../store/event-store.js';
import { countEvents } from './counts.js';
import { appendSyntheticEvents, appendTestRows } from '../../../test/support/synthetic-events.js';

test('counts by event, class, priority and process, with the time span', () => {
  const store = appendTestRows(new EventStore(), [
    [
      { ts: 30, event: 'pkt.tcp', pid: 7, comm: 'curl' },
      { ts: 10, event: 'pkt.tcp', pid: 7, comm: 'curl' },
      { ts: 20, event: 'sock.connect', pid: 7, comm: 'bash' },
    ],
    [
      { ts: 5, event: 'drop.nomem' },
      { ts: 40, event: 'pkt.udp', pid: 9 },
    ],
  ]);
  const c = countEvents(store);
  assert.equal(c.events, 5);
  assert.deepEqual(c.byEvent, { 'pkt.tcp': 2, 'pkt.udp': 1, 'drop.nomem': 1, 'sock.connect': 1 });
  assert.deepEqual(c.byClass, { core: 4, aux: 1 });
  assert.deepEqual(c.byPriority, { INFO: 3, EMERGENCY: 1, NOTICE: 1 });
  assert.deepEqual(c.byProcess, [
    { pid: 7, comm: 'curl', count: 2 },
    { pid: 7, comm: 'bash', count: 1 },
    { pid: 9, comm: '', count: 1 },
  ]);
  assert.equal(c.firstTs, 5);
  assert.equal(c.lastTs, 40);
  const masked = countEvents(store, { bits: Uint8Array.from([0, 0, 1, 0, 1]), count: 2 });
  assert.deepEqual(masked.byEvent, { 'pkt.udp': 1, 'sock.connect': 1 });
  assert.equal(masked.firstTs, 20);
  const none = countEvents(store, { bits: new Uint8Array(5), count: 0 });
  assert.equal(none.events, 0);
  assert.ok(Number.isNaN(none.firstTs));
});

test('process counts add up over many processes (hash table growth)', () => {
  const store = new EventStore();
  const rows = Array.from({ length: 3000 }, (_, i) => ({ ts: i, event: 'pkt.tcp', pid: 100 + (i % 1500), comm: i % 2 ? 'a' : 'b' }));
  appendTestRows(store, [rows]);
  const c = countEvents(store);
  assert.equal(c.byProcess.length, 1500);
  assert.ok(c.byProcess.every((p) => p.count === 2));
  appendSyntheticEvents(store, { count: 5000 });
  assert.equal(countEvents(store).byProcess.reduce((a, p) => a + p.count, 0), 8000);
});
