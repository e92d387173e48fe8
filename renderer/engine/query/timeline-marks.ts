import { laneOfEvent, type LaneIndex } from '../index/lane-index.js';
import type { TimeIndex } from '../index/time-index.js';
import { eventIndex } from '../model/events.js';
import { batchEvents, batchTimes, columnValue, hasValue } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from './row-mask.js';

/** What the timeline needs of the indexes to place rows and marks. */
export interface MarkSources {
  readonly store: EventStore;
  readonly time: TimeIndex;
  readonly lanes: LaneIndex;
}

/** Where a row is drawn: its relative ts and its class lane (class × 8 + priority − 1). */
export interface RowPlace {
  readonly row: number;
  readonly t: number;
  readonly lane: number;
}

export function rowPlace(src: MarkSources, row: number): RowPlace {
  if (!Number.isInteger(row) || row < 0 || row >= src.store.rowCount) throw new RangeError(`no row ${row} (the trace has ${src.store.rowCount})`);
  const b = src.store.batchOf(row);
  const i = row - src.store.batchStart[b]!;
  return { row, t: batchTimes(src.store.batches[b]!)[i]!, lane: laneOfEvent(batchEvents(src.store.batches[b]!)[i]!) };
}

/** Most rows a pick looks at around its time (a click on a dense column stops there). */
const PICK_SCAN_LIMIT = 1 << 20;

/**
 * The row nearest to time `t` within ±`slop` ns that `accept`s (lane, group) and is in `mask`:
 * what a click on a glyph means. Null when there is none.
 */
export function pickRow(src: MarkSources, t: number, slop: number, accept: (row: number, lane: number) => boolean, mask?: RowMask): RowPlace | null {
  const [start, end] = src.time.range(t - slop, t + slop + 1);
  let best: RowPlace | null = null;
  let bestGap = Infinity;
  for (let pos = start; pos < end && pos - start < PICK_SCAN_LIMIT; pos++) {
    const row = src.time.rowAt(pos);
    if (mask !== undefined && mask.bits[row] !== 1) continue;
    const place = rowPlace(src, row);
    const gap = Math.abs(place.t - t);
    if (gap < bestGap && accept(row, place.lane)) {
      best = place;
      bestGap = gap;
    }
  }
  return best;
}

/** Occurrences of one event in a window, for marks drawn across the timeline (capture.lost). */
export interface EventMarks {
  readonly event: string;
  /** Relative ts of each occurrence in [t0, t1), in time order; at most `limit`. */
  readonly ts: Float64Array;
  /** The `lost` value of each (capture.lost; NaN when the row has none or for other events). */
  readonly lost: Float64Array;
  /** Occurrences in the window (may exceed ts.length). */
  readonly total: number;
}

export function eventMarks(src: MarkSources, event: string, t0: number, t1: number, limit: number): EventMarks {
  const e = eventIndex(event);
  const ts: number[] = [];
  const lost: number[] = [];
  let total = 0;
  if (src.lanes.eventTotals[e]! > 0 && t1 > t0) {
    const found: [number, number][] = [];
    for (let b = 0; b < src.store.batches.length; b++) {
      const [min, max] = src.time.batchSpan(b);
      if (max < t0 || min >= t1) continue;
      const batch = src.store.batches[b]!;
      const ev = batchEvents(batch);
      const times = batchTimes(batch);
      const col = batch.columns.lost;
      for (let i = ev.indexOf(e); i >= 0; i = ev.indexOf(e, i + 1)) {
        const t = times[i]!;
        if (t >= t0 && t < t1) found.push([t, hasValue(col, i) ? columnValue(col!, i) : NaN]);
      }
    }
    found.sort((x, y) => x[0] - y[0]);
    total = found.length;
    for (const [t, n] of found.slice(0, limit)) {
      ts.push(t);
      lost.push(n);
    }
  }
  return { event, ts: Float64Array.from(ts), lost: Float64Array.from(lost), total };
}
