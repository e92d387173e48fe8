import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../store/event-store.js';
import { rowDetails } from './details.js';
import { appendTestRows } from '../../../test/support/synthetic-events.js';

test('details list every field with a value and the catalog entry', () => {
  const store = appendTestRows(new EventStore(), [[{ ts: 1, event: 'pkt.tcp' }], [{ ts: 2, event: 'sock.connect', pid: 4, comm: 'curl', proto: 6, dport: 443 }]], 5n);
  const d = rowDetails(store, 1);
  assert.equal(d.row, 1);
  assert.equal(d.event.id, 'sock.connect');
  assert.equal(d.lane, 8 + 5);
  assert.equal(d.fields.ts_ns, 7n);
  assert.equal(d.fields.comm, 'curl');
  assert.equal(d.fields.dport_name, 'https');
  assert.equal(d.fields.priority, 'NOTICE');
  assert.equal('size' in d.fields, false);
  assert.throws(() => rowDetails(store, 2), RangeError);
  assert.throws(() => rowDetails(store, -1), RangeError);
});
