import { columnByteLength } from './batch.js';
import type { EventStore } from './event-store.js';

/**
 * Bytes the store's columns hold: values in their sealed form, validity bitmaps and sparse rank
 * directories of every batch. Dictionaries are not counted: they grow with distinct values, not
 * with events.
 */
export function columnBytes(store: EventStore): number {
  let bytes = 0;
  for (const batch of store.batches) {
    for (const col of Object.values(batch.columns)) if (col) bytes += columnByteLength(col);
  }
  return bytes;
}
