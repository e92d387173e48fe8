import type { LodSummary } from '../index/lod-summary.js';
import type { TimeIndex } from '../index/time-index.js';
import { EVENTS, LANE_COUNT, LANE_OF_EVENT } from '../model/events.js';
import { batchEvents, batchTimes } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from './row-mask.js';

/** Level-of-detail summary of a time window: per lane and pixel column, how many events and which dominates. */
export interface LodBuckets {
  /** Window start and end, ns relative to store.baseNs; column c covers [t0 + c·(t1−t0)/width, …). */
  readonly t0: number;
  readonly t1: number;
  readonly width: number;
  /** Events per (lane, column) at `lane * width + column`. */
  readonly counts: Uint32Array;
  /** Event index with the most events per (lane, column) (lowest index on ties), −1 where empty. */
  readonly dominant: Int16Array;
}

const EVENT_COUNT = EVENTS.length;

/** What a LOD query reads besides the store: the time index, and the block summary when there is one. */
export interface LodSources {
  readonly store: EventStore;
  readonly time: TimeIndex;
  readonly summary?: LodSummary;
}

/**
 * Buckets the rows with t0 ≤ ts < t1 into `width` columns per lane, optionally only the rows of
 * `mask`. Counts per (column, event) first — from the block summary where a whole block falls in
 * one column (with a mask: that block's rows without any time arithmetic), from the rows
 * otherwise — and derives lane counts and dominants from those.
 */
export function lodBuckets(src: LodSources, t0: number, t1: number, width: number, mask?: RowMask): LodBuckets {
  const { store, time, summary } = src;
  const w = Math.max(1, Math.floor(width));
  const perEvent = new Uint32Array(w * EVENT_COUNT);
  if (t1 > t0 && summary !== undefined) {
    const bits = mask?.bits;
    summary.accumulate(t0, t1, w, perEvent, bits === undefined, (first, end, column) => {
      const b = store.batchOf(first);
      const batch = store.batches[b]!;
      const start = first - store.batchStart[b]!;
      const ev = batchEvents(batch).subarray(start, start + end - first);
      if (column >= 0) {
        // The whole block is in one column: only the mask needs checking, row by row.
        const base = column * EVENT_COUNT;
        for (let i = 0; i < ev.length; i++) if (bits![first + i] === 1) perEvent[base + ev[i]!]!++;
        return;
      }
      const ts = batchTimes(batch).subarray(start, start + end - first);
      scanBatch(ts, ev, bits, first, t0, t1, w, false, perEvent);
    });
  } else if (t1 > t0) {
    for (let b = 0; b < store.batches.length; b++) {
      const [min, max] = time.batchSpan(b);
      if (max < t0 || min >= t1) continue;
      const batch = store.batches[b]!;
      scanBatch(
        batchTimes(batch),
        batchEvents(batch),
        mask?.bits,
        store.batchStart[b]!,
        t0,
        t1,
        w,
        min >= t0 && max < t1,
        perEvent,
      );
    }
  }
  return summarise(perEvent, t0, t1, w);
}

function scanBatch(
  ts: Float64Array,
  ev: ArrayLike<number>,
  bits: Uint8Array | undefined,
  firstRow: number,
  t0: number,
  t1: number,
  w: number,
  inside: boolean,
  out: Uint32Array,
): void {
  const scale = w / (t1 - t0);
  const n = ts.length;
  const last = w - 1;
  if (bits === undefined && inside) {
    for (let i = 0; i < n; i++) {
      const col = Math.min(((ts[i]! - t0) * scale) | 0, last);
      out[col * EVENT_COUNT + ev[i]!]!++;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (bits !== undefined && bits[firstRow + i] !== 1) continue;
    const t = ts[i]!;
    if (t < t0 || t >= t1) continue;
    const col = Math.min(((t - t0) * scale) | 0, last);
    out[col * EVENT_COUNT + ev[i]!]!++;
  }
}

function summarise(perEvent: Uint32Array, t0: number, t1: number, w: number): LodBuckets {
  const counts = new Uint32Array(LANE_COUNT * w);
  const dominant = new Int16Array(LANE_COUNT * w).fill(-1);
  const best = new Uint32Array(LANE_COUNT * w);
  for (let col = 0; col < w; col++) {
    const base = col * EVENT_COUNT;
    for (let e = 0; e < EVENT_COUNT; e++) {
      const c = perEvent[base + e]!;
      if (c === 0) continue;
      const cell = LANE_OF_EVENT[e]! * w + col;
      counts[cell]! += c;
      if (c > best[cell]!) {
        best[cell] = c;
        dominant[cell] = e;
      }
    }
  }
  return { t0, t1, width: w, counts, dominant };
}
