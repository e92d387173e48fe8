import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventIndex } from '../model/events.js';
import { EventStore } from './event-store.js';
import { columnBytes } from './memory.js';

test('columnBytes counts the sealed forms: narrow values, constants, bitmaps and rank directories', () => {
  const store = new EventStore();
  const b = store.builder(0n, 128);
  const sport = b.col('sport');
  const dport = b.col('dport');
  const errno = b.col('errno');
  for (let i = 0; i < 100; i++) {
    const r = b.addRow(i, eventIndex('pkt.tcp'));
    if (i % 2 === 0) sport.set(r, 1000 + i);
    dport.set(r, 443);
    if (i % 10 === 0) errno.set(r, i);
  }
  store.append(b.finish()!);
  const ts = 100 * 8; // Float64, always dense
  const event = 100; // Uint8, always dense
  const sportBytes = 100 * 2 + 13; // half the rows: dense Uint16 (max 1098) + bitmap of 100 rows
  const dportBytes = 8; // one value in every row: a constant, no bitmap
  const errnoBytes = 10 + 13 + 2 * 2; // 1/10 of the rows: packed Uint8 + bitmap + 2 rank entries (u16)
  assert.equal(columnBytes(store), ts + event + sportBytes + dportBytes + errnoBytes);
});
