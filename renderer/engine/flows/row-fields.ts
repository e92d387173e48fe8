import { denseValues, type ColumnValues } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

interface DenseColumn {
  readonly values: ColumnValues;
  readonly valid: Uint8Array | null;
}

const ABSENT: DenseColumn = { values: new Uint8Array(0), valid: new Uint8Array(0) };

/**
 * Reads stored numbers of global rows for flow analysis: each (batch, column) is expanded to one
 * value per row once (dense columns as they are) and kept while this object lives, so per-row
 * reads are two array loads. `at(row)` positions the reader; rows are mostly visited in rising
 * order within a flow, so the batch is found by stepping, binary search otherwise.
 */
export class RowFields {
  private readonly cache: Map<string, DenseColumn>[] = [];
  private b = 0;
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
    this.local = row - starts[b]!;
    return this;
  }

  /** The dense column `key` of the current batch (ABSENT when the batch has none). */
  column(key: string): DenseColumn {
    let m = this.cache[this.b];
    if (!m) this.cache[this.b] = m = new Map();
    let c = m.get(key);
    if (!c) {
      const batch = this.store.batches[this.b]!;
      const col = batch.columns[key];
      c = col ? { values: denseValues(col, batch.length), valid: col.valid } : ABSENT;
      m.set(key, c);
    }
    return c;
  }

  /** Value of `key` at the current row, or NaN when the row has none. */
  num(key: string): number {
    const c = this.column(key);
    const r = this.local;
    if (c.valid !== null && (c.valid.length === 0 || (c.valid[r >>> 3]! & (1 << (r & 7))) === 0)) return NaN;
    return c.values[r]!;
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
