import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventIndex } from '../model/events.js';
import { batchTimes, columnValue, hasValue, type EventBatch } from './batch.js';
import { BatchBuilder } from './batch-builder.js';
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

test('a transient builder lends its buffers: same rows as a sealed batch, cleared before the next batch', () => {
  const store = new EventStore();
  const sealed = store.builder(0n, 16);
  const lent = new BatchBuilder(store.dicts, 0n, 16, true);
  /** errnoRow: which rows get an errno; sizeRow: which rows get a size (every row when omitted). */
  const fill = (b: BatchBuilder, rows: number, errnoRow: (i: number) => boolean, sizeRow: (i: number) => boolean = () => true): void => {
    for (let i = 0; i < rows; i++) {
      const r = b.addRow(i, eventIndex('sock.send'));
      b.col('dport').set(r, 53);
      if (sizeRow(i)) b.col('size').set(r, 70000 + i);
      if (errnoRow(i)) b.col('errno').set(r, 111);
    }
  };
  const everyThird = (i: number): boolean => i % 3 === 0;
  const none = (): boolean => false;
  const same = (a: EventBatch, b: EventBatch): void => {
    assert.equal(a.length, b.length);
    for (const key of ['ts_ns', 'event', 'dport', 'size', 'errno']) {
      for (let r = 0; r < a.length; r++) {
        assert.equal(hasValue(b.columns[key], r), hasValue(a.columns[key], r), `${key} row ${r}`);
        if (hasValue(a.columns[key], r)) assert.equal(columnValue(b.columns[key]!, r), columnValue(a.columns[key]!, r), `${key} row ${r}`);
      }
    }
  };
  fill(sealed, 10, everyThird);
  fill(lent, 10, everyThird);
  const first = lent.finish()!;
  same(sealed.finish()!, first);
  // Dense in the field's own storage type, the builder's own array: nothing narrowed or copied.
  assert.deepEqual(first.columns.dport, { form: 'dense', values: new Uint16Array(10).fill(53), valid: null });
  assert.equal(first.columns.errno!.valid!.length, 2);
  // The next batch writes the same columns on other rows (errno on rows 1, 4, 7; size on even
  // rows only): none of the first batch's values (errno on 0, 3, 6, 9; size on every row) is left.
  const thirdPlusOne = (i: number): boolean => i % 3 === 1;
  const even = (i: number): boolean => i % 2 === 0;
  fill(sealed, 8, thirdPlusOne, even);
  fill(lent, 8, thirdPlusOne, even);
  const second = lent.finish()!;
  same(sealed.finish()!, second);
  assert.deepEqual([0, 1, 3, 4, 6, 7].map((r) => hasValue(second.columns.errno, r)), [false, true, false, true, false, true]);
  assert.deepEqual([0, 1, 2, 3].map((r) => hasValue(second.columns.size, r)), [true, false, true, false]);
  // A batch without errno drops the column; the one after starts from empty buffers.
  fill(sealed, 7, none);
  fill(lent, 7, none);
  const third = lent.finish()!;
  same(sealed.finish()!, third);
  assert.equal(third.columns.errno, undefined);
  fill(lent, 4, everyThird);
  const fourth = lent.finish()!;
  assert.deepEqual([0, 1, 2, 3].map((r) => hasValue(fourth.columns.errno, r)), [true, false, false, true]);
  assert.equal(columnValue(fourth.columns.size!, 3), 70003);
});
