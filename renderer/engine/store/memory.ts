import type { EventStore } from './event-store.js';

/**
 * Bytes the store's columns hold (values and validity bitmaps of every batch). Dictionaries are
 * not counted: they grow with distinct values, not with events.
 */
export function columnBytes(store: EventStore): number {
  let bytes = 0;
  for (const batch of store.batches) {
    for (const col of Object.values(batch.columns)) {
      if (!col) continue;
      bytes += col.values.byteLength + (col.valid?.byteLength ?? 0);
    }
  }
  return bytes;
}
