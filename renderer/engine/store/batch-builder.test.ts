import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventIndex } from '../model/events.js';
import { batchTimes, columnValue, hasValue } from './batch.js';
import { EventStore } from './event-store.js';

test('a column set on every row has no bitmap; a partly set one has exact bits', () => {
  const store = new EventStore();
  const b = store.builder(1000n, 8);
  const dport = b.col('dport');
  const errno = b.col('errno');
  for (let i = 0; i < 5; i++) {
    const r = b.addRow(i * 10, eventIndex('sock.send'));
    dport.set(r, 443);
    if (i === 3) errno.set(r, 111);
  }
  const batch = b.finish()!;
  assert.equal(batch.length, 5);
  assert.equal(batch.columns.dport!.valid, null);
  assert.deepEqual([0, 1, 2, 3, 4].map((r) => hasValue(batch.columns.errno, r)), [false, false, false, true, false]);
  assert.equal(columnValue(batch.columns.errno!, 3), 111);
  assert.equal(batch.columns.sport, undefined);
});

test('dropLastRow forgets the row in every column; writers are reused for the next batch', () => {
  const store = new EventStore();
  const b = store.builder(0n, 4);
  const sport = b.col('sport');
  sport.set(b.addRow(1, 0), 1);
  sport.set(b.addRow(2, 0), 2);
  b.dropLastRow();
  const first = b.finish()!;
  assert.equal(first.length, 1);
  assert.equal(first.columns.sport!.valid, null);
  sport.set(b.addRow(3, 0), 3);
  const second = b.finish()!;
  assert.deepEqual(second.columns.sport, { form: 'const', value: 3, valid: null });
  assert.equal(b.finish(), undefined);
});

test('batches with another base time are shifted onto the store base', () => {
  const store = new EventStore();
  const a = store.builder(1_000_000_000n);
  a.addRow(5, 0);
  store.append(a.finish()!);
  const b = store.builder(1_000_000_100n);
  b.addRow(5, 0);
  store.append(b.finish()!);
  assert.equal(store.baseNs, 1_000_000_000n);
  assert.equal(batchTimes(store.batches[1]!)[0], 105);
  assert.equal(store.batchOf(1), 1);
  assert.equal(store.batchOf(0), 0);
});

test('strings and addresses go through the store dictionaries', () => {
  const store = new EventStore();
  const b = store.builder(0n);
  const r = b.addRow(0, 0);
  b.setString('comm', r, 'curl');
  b.col('saddr').set(r, store.dicts.addrs.internV4(0x7f000001));
  b.col('daddr').set(r, store.dicts.addrs.internText('::1')!);
  const batch = b.finish()!;
  assert.equal(store.dicts.strings('comm').get(columnValue(batch.columns.comm!, 0)), 'curl');
  assert.equal(store.dicts.addrs.text(columnValue(batch.columns.saddr!, 0)), '127.0.0.1');
  assert.equal(store.dicts.addrs.text(columnValue(batch.columns.daddr!, 0)), '::1');
  assert.equal(store.dicts.addrs.internText('127.0.0.1'), columnValue(batch.columns.saddr!, 0));
});
