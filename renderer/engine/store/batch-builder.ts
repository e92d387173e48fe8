import { FIELD_BY_KEY, type Storage, type StoredFieldKey } from '../model/fields.js';
import { allocValues, countValid, type Column, type ColumnValues, type EventBatch } from './batch.js';
import type { Dictionaries } from './dictionaries.js';
import { sealColumn } from './seal.js';

/**
 * Writes one column of the batch being built. Parsers fetch a writer once and keep it: the
 * builder reuses writer objects from batch to batch.
 */
export class ColumnWriter {
  values: ColumnValues;
  valid: Uint8Array;
  used = false;
  /** Rows of the last batch still in the buffers, lent to it (transient): cleared when the column is next written. */
  private lent = 0;

  constructor(
    readonly key: StoredFieldKey,
    private readonly capacity: number,
  ) {
    this.values = allocValues(FIELD_BY_KEY.get(key)!.storage as never, 0);
    this.valid = new Uint8Array(0);
  }

  set(row: number, value: number): void {
    if (!this.used) this.open();
    this.values[row] = value;
    this.valid[row >>> 3]! |= 1 << (row & 7); // rows with a value are counted when the column is sealed
  }

  /** Was row `row` given a value in this batch? (A lent buffer still holds the last batch's rows.) */
  has(row: number): boolean {
    return this.used && (this.valid[row >>> 3]! & (1 << (row & 7))) !== 0;
  }

  /** Clears row `row` (it was set in this batch). */
  unset(row: number): void {
    if (this.has(row)) {
      this.valid[row >>> 3]! &= ~(1 << (row & 7));
      this.values[row] = 0; // sealing counts on rows without a value holding 0
    }
  }

  private open(): void {
    this.used = true;
    if (this.lent > 0) {
      this.clear(this.lent);
      this.lent = 0;
    }
    if (this.values.length === this.capacity) return; // kept from the last batch, already cleared
    this.values = allocValues(FIELD_BY_KEY.get(this.key)!.storage as never, this.capacity);
    this.valid = new Uint8Array((this.capacity + 7) >>> 3);
  }

  /** Seals the column for `length` rows in its narrowest form and gets ready for the next batch. */
  take(length: number): Column | undefined {
    if (!this.used) {
      // Unused for a whole batch: let go of the buffers (a builder may live long, e.g. a capture).
      if (this.values.length !== 0) this.release();
      return undefined;
    }
    const col = sealColumn(this.key, FIELD_BY_KEY.get(this.key)!.storage as Storage, this.values, this.valid, length, countValid(this.valid, length));
    this.used = false;
    if (col?.form === 'dense' && col.values === this.values) this.release();
    else {
      // The sealed column is a copy: clear the buffers for the next batch instead of allocating.
      this.clear(length);
    }
    return col;
  }

  /**
   * The column as it stands, for a batch that lives only until the next one is begun (see
   * BatchBuilder's `transient`): the buffers themselves, in the field's storage type, not sealed
   * into a narrower form (whoever writes such a batch wants that type and would widen it again).
   */
  lend(length: number): Column | undefined {
    if (!this.used) {
      if (this.values.length !== 0) this.release();
      return undefined;
    }
    this.used = false;
    this.lent = length;
    const count = countValid(this.valid, length);
    if (count === 0) return undefined;
    return { form: 'dense', values: this.values.subarray(0, length), valid: count === length ? null : this.valid.subarray(0, (length + 7) >>> 3) };
  }

  private clear(length: number): void {
    this.values.fill(0, 0, length);
    this.valid.fill(0, 0, (length + 7) >>> 3);
  }

  private release(): void {
    this.lent = 0;
    this.values = allocValues(FIELD_BY_KEY.get(this.key)!.storage as never, 0);
    this.valid = new Uint8Array(0);
  }
}

/**
 * Builds batches row by row without one object per event: `const r = b.addRow(tsRelNs, eventIndex)`,
 * then `writer.set(r, value)` per field. Strings and addresses go through the shared dictionaries.
 */
export class BatchBuilder {
  length = 0;
  private readonly writers = new Map<string, ColumnWriter>();
  private readonly ts: ColumnWriter;
  private readonly event: ColumnWriter;

  /**
   * @param baseNs absolute time (ns) that `ts_ns` values are relative to.
   * @param capacity rows per batch; `addRow` past it throws, check `full` first.
   * @param transient each batch `finish` returns is used up before the next row is added (written
   *   to a file, not kept: a capture that only streams to disk): its columns are the builder's own
   *   buffers, dense in each field's storage type, neither copied nor sealed into narrower forms.
   */
  constructor(
    readonly dicts: Dictionaries,
    public baseNs: bigint,
    readonly capacity = 65536,
    readonly transient = false,
  ) {
    this.ts = this.col('ts_ns');
    this.event = this.col('event');
  }

  col(key: StoredFieldKey): ColumnWriter {
    let w = this.writers.get(key);
    if (!w) {
      if (!FIELD_BY_KEY.has(key) || FIELD_BY_KEY.get(key)!.storage === 'derived') throw new Error(`not a stored field: ${key}`);
      w = new ColumnWriter(key, this.capacity);
      this.writers.set(key, w);
    }
    return w;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Starts a row; returns its index in the batch. `tsRelNs` is ns since `baseNs`. */
  addRow(tsRelNs: number, eventIndex: number): number {
    const r = this.length;
    if (r >= this.capacity) throw new Error('batch is full');
    this.ts.set(r, tsRelNs);
    this.event.set(r, eventIndex);
    this.length = r + 1;
    return r;
  }

  /** Drops the last row (a parser that found the packet unusable after starting it). */
  dropLastRow(): void {
    if (this.length === 0) return;
    const r = --this.length;
    for (const w of this.writers.values()) w.unset(r);
  }

  setString(key: StoredFieldKey, row: number, s: string): void {
    this.col(key).set(row, this.dicts.strings(key).intern(s));
  }

  /** Seals the rows so far into a batch (undefined when there are none) and starts a new one. */
  finish(): EventBatch | undefined {
    if (this.length === 0) return undefined;
    const columns: Record<string, Column> = {};
    for (const [key, w] of this.writers) {
      const c = this.transient ? w.lend(this.length) : w.take(this.length);
      if (c) columns[key] = c;
    }
    const batch: EventBatch = { length: this.length, baseNs: this.baseNs, columns };
    this.length = 0;
    return batch;
  }
}
