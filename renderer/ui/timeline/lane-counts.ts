/** Rows per timeline lane from the engine's per-event counts (lane = class × 8 + priority − 1). */
import { EVENT_INDEX, LANE_COUNT, LANE_OF_EVENT } from '../../engine/model/events.js';

export function laneCounts(byEvent: Readonly<Record<string, number>>): number[] {
  const lanes = new Array<number>(LANE_COUNT).fill(0);
  for (const [id, n] of Object.entries(byEvent)) {
    const index = EVENT_INDEX.get(id);
    if (index !== undefined) lanes[LANE_OF_EVENT[index]!]! += n;
  }
  return lanes;
}
