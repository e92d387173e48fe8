import { columnValue, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

/**
 * Reads stored numbers of global rows for flow analysis, straight from the batch's column in its
 * sealed form (no column is expanded). `at(row)` positions the reader; rows are mostly visited in
 * rising order within a flow, so the batch is found by stepping, binary search otherwise.
 */
export class RowFields {
  private b = 0;
  private batch: EventBatch | undefined;
  /** Row inside the current batch. */
  local = 0;

  constructor(readonly store: EventStore) {}

  at(row: number): this {
    const starts = this.store.batchStart;
    let b = this.b;
    if (row < starts[b]! || (b + 1 < starts.length && row >= starts[b + 1]!)) {
      b = b + 1 < starts.length && row >= starts[b + 1]! && (b + 2 >= starts.length || row < starts[b + 2]!) ? b + 1 : this.store.batchOf(row);
      this.b = b;
    }
    this.batch = this.store.batches[b];
    this.local = row - starts[b]!;
    return this;
  }

  /** Value of `key` at the current row, or NaN when the row has none. */
  num(key: string): number {
    const col = this.batch?.columns[key];
    if (!col) return NaN;
    const r = this.local;
    if (col.valid !== null && (col.valid[r >>> 3]! & (1 << (r & 7))) === 0) return NaN;
    return columnValue(col, r);
  }

  /** Value of `key`, or `fallback` when the row has none. */
  or(key: string, fallback: number): number {
    const v = this.num(key);
    return Number.isNaN(v) ? fallback : v;
  }

  /** Dictionary text of a `str` field at the current row, or null. */
  str(key: string): string | null {
    const id = this.num(key);
    return Number.isNaN(id) ? null : this.store.dicts.strings(key).get(id) || null;
  }
}
