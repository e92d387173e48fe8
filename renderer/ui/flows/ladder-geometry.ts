/** Where the ladder diagram draws: the time gutter, the two lifelines, each row's arrow. */

export const LADDER_ROW = 32;
/** Width of the time gutter on the left (time since the flow's start, and the step). */
export const GUTTER = 96;
/** Space between a lifeline and the diagram's edge, for state and call labels. */
export const MARGIN = 150;

export interface LadderGeometry {
  readonly width: number;
  readonly client: number;
  readonly server: number;
}

/** Lifeline positions for a diagram `width` px wide (never so narrow that they cross). */
export function ladderGeometry(width: number): LadderGeometry {
  const w = Math.max(width, GUTTER + 2 * MARGIN + 200);
  return { width: w, client: GUTTER + MARGIN, server: w - MARGIN };
}

/** The arrow of a segment sent by `from`: from its lifeline near the row's top to the other's near its bottom. */
export function arrowPath(g: LadderGeometry, from: 'client' | 'server'): { x1: number; x2: number; y1: number; y2: number; head: string } {
  const x1 = from === 'client' ? g.client : g.server;
  const x2 = from === 'client' ? g.server : g.client;
  const y1 = 10;
  const y2 = LADDER_ROW - 6;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  const ux = dx / len;
  const uy = dy / len;
  // arrowhead: a triangle 8 px long and 7 px wide at (x2, y2)
  const bx = x2 - ux * 8;
  const by = y2 - uy * 8;
  const head = `${x2},${y2} ${bx - uy * 3.5},${by + ux * 3.5} ${bx + uy * 3.5},${by - ux * 3.5}`;
  return { x1, x2: bx, y1, y2: by, head };
}
