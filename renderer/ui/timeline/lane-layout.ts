/**
 * The timeline's lanes as drawn: the 16 class × priority lanes, or one lane per process or
 * connection group; each with its key (what collapsing remembers), its label, its count and its
 * place on the canvas. Collapsed lanes are a thin strip; the canvas and the labels share this layout.
 */
import { laneName, LANE_COUNT } from '../../engine/model/events.js';
import type { LaneGroup } from '../../engine/query/lane-groups.js';
import type { LaneGrouping } from '../../state/view-store.js';

export const AXIS_HEIGHT = 26;
export const LANE_HEIGHT = 22;
export const COLLAPSED_HEIGHT = 7;

export interface LaneRow {
  /** `lane:N` (class lanes) or `<grouping>:<group key>`. */
  readonly key: string;
  /** Accessible name: `core · WARNING`, or the group's label (`812 nginx`). */
  readonly name: string;
  readonly count: number;
  readonly collapsed: boolean;
  /** CSS px from the canvas top. */
  readonly top: number;
  readonly height: number;
  /** Class lanes: 0…15. */
  readonly classLane?: number;
  /** Group lanes: the engine's group key. */
  readonly group?: string;
  /** Draw a class boundary above this lane. */
  readonly boundary: boolean;
}

export interface LaneSpec {
  readonly key: string;
  readonly name: string;
  readonly count: number;
  readonly classLane?: number;
  readonly group?: string;
}

export function classLaneSpecs(counts: readonly number[] | null): LaneSpec[] {
  return Array.from({ length: LANE_COUNT }, (_, lane) => ({ key: `lane:${lane}`, name: laneName(lane), count: counts?.[lane] ?? 0, classLane: lane }));
}

export function groupLaneSpecs(grouping: LaneGrouping, groups: readonly LaneGroup[]): LaneSpec[] {
  return groups.map((g) => ({ key: `${grouping}:${g.key}`, name: g.label, count: g.count, group: g.key }));
}

export function layoutLanes(specs: readonly LaneSpec[], collapsed: Readonly<Record<string, true>>): LaneRow[] {
  let top = AXIS_HEIGHT;
  return specs.map((s) => {
    const isCollapsed = collapsed[s.key] === true;
    const height = isCollapsed ? COLLAPSED_HEIGHT : LANE_HEIGHT;
    const row: LaneRow = { ...s, collapsed: isCollapsed, top, height, boundary: s.classLane === 8 };
    top += height;
    return row;
  });
}

/** Total canvas height of a layout (axis included). */
export function layoutHeight(rows: readonly LaneRow[]): number {
  const last = rows[rows.length - 1];
  return last ? last.top + last.height : AXIS_HEIGHT;
}

/** The lane at CSS y (from the canvas top), if any. */
export function laneAt(rows: readonly LaneRow[], y: number): LaneRow | undefined {
  return rows.find((r) => y >= r.top && y < r.top + r.height);
}
