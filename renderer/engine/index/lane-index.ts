import { EVENTS, LANE_COUNT, LANE_OF_EVENT } from '../model/events.js';
import type { RowMask } from '../query/row-mask.js';
import { batchEvents, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

/** Lane of an event index: class × 8 + (priority − 1), the WindView order of the timeline. */
export function laneOfEvent(eventIndex: number): number {
  return LANE_OF_EVENT[eventIndex] ?? LANE_COUNT - 1;
}

/**
 * Per-lane and per-event row totals, kept current through `store.onAppend` so the timeline can
 * size and label lanes without a scan. A row's lane is never stored: it is LANE_OF_EVENT of its
 * `event` byte, one table lookup in every hot loop that needs it.
 */
export class LaneIndex {
  /** Rows per event index. */
  readonly eventTotals = new Float64Array(EVENTS.length);
  /** Rows per lane. */
  readonly laneTotals = new Float64Array(LANE_COUNT);
  private readonly unsubscribe: () => void;

  constructor(private readonly store: EventStore) {
    for (const batch of store.batches) this.add(batch);
    this.unsubscribe = store.onAppend((batch) => this.add(batch));
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Rows whose lane is one of `lanes` (e.g. the lanes left expanded), as a RowMask over all rows. */
  laneMask(lanes: readonly number[]): RowMask {
    const wanted = new Uint8Array(EVENTS.length);
    for (let e = 0; e < EVENTS.length; e++) wanted[e] = lanes.includes(laneOfEvent(e)) ? 1 : 0;
    const bits = new Uint8Array(this.store.rowCount);
    let count = 0;
    for (let b = 0; b < this.store.batches.length; b++) {
      const ev = batchEvents(this.store.batches[b]!);
      const first = this.store.batchStart[b]!;
      for (let i = 0; i < ev.length; i++) {
        const hit = wanted[ev[i]!]!;
        bits[first + i] = hit;
        count += hit;
      }
    }
    return { bits, count };
  }

  private add(batch: EventBatch): void {
    const ev = batchEvents(batch);
    const totals = this.eventTotals;
    for (let i = 0; i < ev.length; i++) totals[ev[i]!]!++;
    this.laneTotals.fill(0);
    for (let e = 0; e < EVENTS.length; e++) this.laneTotals[laneOfEvent(e)]! += totals[e]!;
  }
}
