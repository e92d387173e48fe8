import { EVENTS } from '../model/events.js';
import { batchEvents, batchTimes, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

/** Rows per block. Smaller blocks fit more zoom levels; larger ones cost less to walk. */
export const LOD_BLOCK_ROWS = 256;

/**
 * Per-block event counts that let an unfiltered LOD query skip the rows of a zoomed-out view.
 * Each batch is cut into blocks of LOD_BLOCK_ROWS consecutive rows; a block keeps its earliest and
 * latest ts and its (event, count) pairs (sparse: a block holds a dozen kinds of events at most in
 * practice). A block whose whole time span falls in one pixel column adds its pairs there at once;
 * any other block is scanned row by row. Costs ~0.1 byte per row. Kept current via `store.onAppend`.
 */
export class LodSummary {
  /** Earliest and latest relative ts of each block. */
  private min: Float64Array = new Float64Array(1024);
  private max: Float64Array = new Float64Array(1024);
  /** Global row of each block's first row; the block ends where the next begins (or at its batch's end). */
  private firstRow: Float64Array = new Float64Array(1024);
  private rows: Uint16Array = new Uint16Array(1024);
  /** Pairs of block b are at pairStart[b] … pairStart[b + 1]. */
  private pairStart: Uint32Array = new Uint32Array(1025);
  private pairEvent: Uint8Array = new Uint8Array(8192);
  private pairCount: Uint16Array = new Uint16Array(8192);
  private blocks = 0;
  private pairs = 0;
  private readonly tally = new Uint32Array(EVENTS.length);
  private readonly unsubscribe: () => void;

  constructor(store: EventStore) {
    for (let b = 0; b < store.batches.length; b++) this.add(store.batches[b]!, store.batchStart[b]!);
    this.unsubscribe = store.onAppend((batch, first) => this.add(batch, first));
  }

  dispose(): void {
    this.unsubscribe();
  }

  get blockCount(): number {
    return this.blocks;
  }

  /**
   * Walks the blocks overlapping the window [t0, t1) cut into `w` columns. A block lying inside
   * one column is added to `perEvent[column * eventCount + event]` from its counts when
   * `useCounts`, else handed to `scan(firstRow, endRow, column)`; any other block goes to
   * `scan(firstRow, endRow, -1)` (its rows need their own column and a range check).
   */
  accumulate(
    t0: number,
    t1: number,
    w: number,
    perEvent: Uint32Array,
    useCounts: boolean,
    scan: (firstRow: number, endRow: number, column: number) => void,
  ): void {
    const scale = w / (t1 - t0);
    const eventCount = EVENTS.length;
    const last = w - 1;
    for (let b = 0; b < this.blocks; b++) {
      const lo = this.min[b]!;
      const hi = this.max[b]!;
      if (hi < t0 || lo >= t1) continue;
      const col = ((lo - t0) * scale) | 0;
      const oneColumn = lo >= t0 && hi < t1 && Math.min(((hi - t0) * scale) | 0, last) === col;
      if (oneColumn && !useCounts) {
        scan(this.firstRow[b]!, this.firstRow[b]! + this.rows[b]!, col);
      } else if (oneColumn) {
        const base = col * eventCount;
        for (let p = this.pairStart[b]!, end = this.pairStart[b + 1]!; p < end; p++) {
          perEvent[base + this.pairEvent[p]!]! += this.pairCount[p]!;
        }
      } else {
        scan(this.firstRow[b]!, this.firstRow[b]! + this.rows[b]!, -1);
      }
    }
  }

  private add(batch: EventBatch, firstRow: number): void {
    const ts = batchTimes(batch);
    const ev = batchEvents(batch);
    const tally = this.tally;
    for (let start = 0; start < batch.length; start += LOD_BLOCK_ROWS) {
      const end = Math.min(batch.length, start + LOD_BLOCK_ROWS);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const t = ts[i]!;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
        tally[ev[i]!]!++;
      }
      this.reserve(this.blocks + 1, this.pairs + tally.length);
      const b = this.blocks++;
      this.min[b] = lo;
      this.max[b] = hi;
      this.firstRow[b] = firstRow + start;
      this.rows[b] = end - start;
      for (let e = 0; e < tally.length; e++) {
        if (tally[e] === 0) continue;
        this.pairEvent[this.pairs] = e;
        this.pairCount[this.pairs++] = tally[e]!;
        tally[e] = 0;
      }
      this.pairStart[b + 1] = this.pairs;
    }
  }

  private reserve(blocks: number, pairs: number): void {
    if (blocks >= this.min.length) {
      const n = this.min.length * 2;
      this.min = grown(this.min, new Float64Array(n));
      this.max = grown(this.max, new Float64Array(n));
      this.firstRow = grown(this.firstRow, new Float64Array(n));
      this.rows = grown(this.rows, new Uint16Array(n));
      this.pairStart = grown(this.pairStart, new Uint32Array(n + 1));
    }
    if (pairs > this.pairEvent.length) {
      const n = Math.max(pairs, this.pairEvent.length * 2);
      this.pairEvent = grown(this.pairEvent, new Uint8Array(n));
      this.pairCount = grown(this.pairCount, new Uint16Array(n));
    }
  }
}

function grown<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
