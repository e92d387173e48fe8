import { batchTimes, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

/**
 * Global time order of a store's rows. Batches nearly always arrive in time order, so the index
 * keeps only each batch's time span and `order = null` (append order is time order). When a batch
 * is out of order (pcap files, per-CPU ring buffers), it builds `order`: global row numbers sorted
 * by (ts, row), merged incrementally as batches arrive. Times are ns relative to `store.baseNs`.
 * Kept current through `store.onAppend`; call `dispose()` to stop listening.
 */
export class TimeIndex {
  /** Row at each time position, or null when positions are row numbers. Only `[0, rowCount)` is used. */
  private sorted: Uint32Array | null = null;
  private batchMin: Float64Array = new Float64Array(64);
  private batchMax: Float64Array = new Float64Array(64);
  private lastMax = -Infinity;
  private readonly unsubscribe: () => void;

  constructor(private readonly store: EventStore) {
    for (let b = 0; b < store.batches.length; b++) this.add(b, store.batches[b]!, store.batchStart[b]!);
    this.unsubscribe = store.onAppend((batch, firstRow) => this.add(store.batches.length - 1, batch, firstRow));
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Global rows in time order, or null when row order already is time order. A view: do not keep it across appends. */
  get order(): Uint32Array | null {
    return this.sorted === null ? null : this.sorted.subarray(0, this.store.rowCount);
  }

  get length(): number {
    return this.store.rowCount;
  }

  /** Global row at time position `pos`. */
  rowAt(pos: number): number {
    return this.sorted === null ? pos : this.sorted[pos]!;
  }

  /** Relative ts (ns) of global row `row`. */
  tsOfRow(row: number): number {
    const b = this.store.batchOf(row);
    return batchTimes(this.store.batches[b]!)[row - this.store.batchStart[b]!]!;
  }

  /** Earliest and latest relative ts (ns) of batch `b`. */
  batchSpan(b: number): [number, number] {
    return [this.batchMin[b]!, this.batchMax[b]!];
  }

  /** Earliest relative ts in the store (NaN when empty). */
  get firstTs(): number {
    return this.length === 0 ? NaN : this.tsOfRow(this.rowAt(0));
  }

  /** Latest relative ts in the store (NaN when empty). */
  get lastTs(): number {
    return this.length === 0 ? NaN : this.lastMax;
  }

  /** First time position whose ts is ≥ `t` (`length` when none). */
  lowerBound(t: number): number {
    return this.search(t, false);
  }

  /** First time position whose ts is > `t` (`length` when none). */
  upperBound(t: number): number {
    return this.search(t, true);
  }

  /** Time positions `[start, end)` of the rows with t0 ≤ ts < t1. */
  range(t0: number, t1: number): [number, number] {
    const start = this.lowerBound(t0);
    return [start, Math.max(start, this.lowerBound(t1))];
  }

  private search(t: number, strict: boolean): number {
    const past = (ts: number): boolean => (strict ? ts > t : ts >= t);
    if (this.sorted === null) {
      // Batches are in order and each is sorted: find the batch, then the row inside it.
      const n = this.store.batches.length;
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (past(this.batchMax[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      if (lo === n) return this.length;
      const ts = batchTimes(this.store.batches[lo]!);
      let a = 0;
      let z = ts.length;
      while (a < z) {
        const mid = (a + z) >>> 1;
        if (past(ts[mid]!)) z = mid;
        else a = mid + 1;
      }
      return this.store.batchStart[lo]! + a;
    }
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (past(this.tsOfRow(this.sorted[mid]!))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private add(b: number, batch: EventBatch, firstRow: number): void {
    const ts = batchTimes(batch);
    let min = Infinity;
    let max = -Infinity;
    let inOrder = true;
    let prev = -Infinity;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (t < prev) inOrder = false;
      prev = t;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    this.recordSpan(b, min, max);
    if (this.sorted === null && inOrder && min >= this.lastMax) {
      this.lastMax = Math.max(this.lastMax, max);
      return;
    }
    if (this.sorted === null) this.sorted = identity(0, firstRow);
    this.merge(ts, firstRow, inOrder, min);
    this.lastMax = Math.max(this.lastMax, max);
  }

  private recordSpan(b: number, min: number, max: number): void {
    if (b >= this.batchMin.length) {
      this.batchMin = grow(this.batchMin, b + 1);
      this.batchMax = grow(this.batchMax, b + 1);
    }
    this.batchMin[b] = min;
    this.batchMax[b] = max;
  }

  /** Merges the rows of a new batch into `sorted` (which holds every row before `firstRow`). */
  private merge(ts: Float64Array, firstRow: number, inOrder: boolean, min: number): void {
    const local = identity(0, ts.length);
    if (!inOrder) local.sort((a, b) => ts[a]! - ts[b]! || a - b);
    // Rows already placed with ts ≤ min stay where they are; only the tail after them is merged.
    const old = firstRow;
    let cut = old;
    if (old > 0) {
      let lo = 0;
      let hi = old;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.tsOfRow(this.sorted![mid]!) > min) hi = mid;
        else lo = mid + 1;
      }
      cut = lo;
    }
    const total = old + ts.length;
    let out = this.sorted!;
    if (out.length < total) out = grow32(out, total);
    const tail = this.sorted!.slice(cut, old);
    let i = 0;
    let j = 0;
    let k = cut;
    while (i < tail.length && j < local.length) {
      const tailTs = this.tsOfRow(tail[i]!);
      // Ties keep the older row first: a stable order by (ts, row).
      if (tailTs <= ts[local[j]!]!) out[k++] = tail[i++]!;
      else out[k++] = firstRow + local[j++]!;
    }
    while (i < tail.length) out[k++] = tail[i++]!;
    while (j < local.length) out[k++] = firstRow + local[j++]!;
    this.sorted = out;
  }
}

function identity(first: number, n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = first + i;
  return a;
}

function grow(a: Float64Array, need: number): Float64Array {
  const g = new Float64Array(Math.max(need, a.length * 2));
  g.set(a);
  return g;
}

function grow32(a: Uint32Array, need: number): Uint32Array {
  const g = new Uint32Array(Math.max(need, Math.ceil(a.length * 1.5)));
  g.set(a);
  return g;
}
