import { batchTimes, type EventBatch } from './batch.js';
import { BatchBuilder } from './batch-builder.js';
import { Dictionaries } from './dictionaries.js';
import { DnsCache } from '../names/dns-cache.js';
import { emptyMeta, type TraceMeta } from './trace-meta.js';

/**
 * All events of one trace: sealed batches sharing one set of dictionaries. Rows are numbered
 * across batches in append order (row r of batch b is global row `batchStart[b] + r`). All
 * `ts_ns` values are ns relative to `baseNs`; batches with another base are shifted on append.
 * Not thread-safe: one store belongs to one thread (the engine worker, or the CLI).
 */
export class EventStore {
  readonly dicts = new Dictionaries();
  /** Names of addresses learned from DNS answers (feeds saddr_names/daddr_names). */
  readonly dns = new DnsCache();
  readonly batches: EventBatch[] = [];
  /** Global row number of each batch's first row. */
  readonly batchStart: number[] = [];
  rowCount = 0;
  baseNs: bigint | undefined;
  meta: TraceMeta = emptyMeta();
  private readonly listeners = new Set<(batch: EventBatch, firstRow: number) => void>();

  /** A builder writing into this store's dictionaries. */
  builder(baseNs: bigint, capacity?: number): BatchBuilder {
    return new BatchBuilder(this.dicts, baseNs, capacity);
  }

  append(batch: EventBatch): void {
    if (batch.length === 0) return;
    if (this.baseNs === undefined) this.baseNs = batch.baseNs;
    let b = batch;
    if (batch.baseNs !== this.baseNs) {
      const shift = Number(batch.baseNs - this.baseNs);
      const ts = batchTimes(batch);
      const moved = new Float64Array(ts.length);
      for (let i = 0; i < ts.length; i++) moved[i] = ts[i]! + shift;
      b = { length: batch.length, baseNs: this.baseNs, columns: { ...batch.columns, ts_ns: { form: 'dense', values: moved, valid: null } } };
    }
    const first = this.rowCount;
    this.batches.push(b);
    this.batchStart.push(first);
    this.rowCount += b.length;
    for (const l of this.listeners) l(b, first);
  }

  /** Called for each appended batch (indexes keep themselves current this way). Returns an unsubscribe. */
  onAppend(listener: (batch: EventBatch, firstRow: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Batch index holding global row `row` (binary search). */
  batchOf(row: number): number {
    let lo = 0;
    let hi = this.batchStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.batchStart[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
