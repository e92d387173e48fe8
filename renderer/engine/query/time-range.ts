import type { TimeIndex } from '../index/time-index.js';
import { batchTimes } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from './row-mask.js';

/**
 * The rows with t0 ≤ ts < t1 (ns relative to store.baseNs), also in `within` when given, as a
 * RowMask: a range selected on the timeline becomes the table's row set this way. Batches whose
 * time span misses the range are skipped without reading their rows.
 */
export function timeRangeMask(store: EventStore, time: TimeIndex, t0: number, t1: number, within?: RowMask): RowMask {
  const bits = new Uint8Array(store.rowCount);
  let count = 0;
  for (let b = 0; b < store.batches.length; b++) {
    const [min, max] = time.batchSpan(b);
    if (max < t0 || min >= t1) continue;
    const ts = batchTimes(store.batches[b]!);
    const first = store.batchStart[b]!;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (t < t0 || t >= t1 || (within !== undefined && within.bits[first + i] !== 1)) continue;
      bits[first + i] = 1;
      count++;
    }
  }
  return { bits, count };
}
