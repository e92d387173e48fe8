import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventIndex } from '../model/events.js';
import { EventStore } from './event-store.js';
import { columnBytes } from './memory.js';

test('columnBytes counts only the columns rows use, plus validity bitmaps for partly empty ones', () => {
  const store = new EventStore();
  const b = store.builder(0n, 16);
  const sport = b.col('sport');
  for (let i = 0; i < 10; i++) {
    const r = b.addRow(i, eventIndex('pkt.tcp'));
    if (i % 2 === 0) sport.set(r, 80);
  }
  store.append(b.finish()!);
  // ts_ns f64 (80) + event u8 (10) + sport u16 (20) + sport bitmap (2 bytes for 10 rows)
  assert.equal(columnBytes(store), 80 + 10 + 20 + 2);
});
