/**
 * Paints the timeline canvas: the wall-clock axis, 16 lane backgrounds, the LOD buckets as
 * density bars coloured by each column's dominant event, and the range selection. Pure drawing:
 * given the same inputs it paints the same pixels; it never asks the engine for anything.
 */
import type { LodBuckets } from '../../engine/query/lod.js';
import { LANE_COUNT } from '../../engine/model/events.js';
import type { TimeWindow } from '../../state/view-store.js';
import type { Tick } from './time-axis.js';

export const AXIS_HEIGHT = 26;
export const LANE_HEIGHT = 22;

export interface TimelinePalette {
  readonly background: string;
  readonly laneEven: string;
  readonly laneOdd: string;
  readonly grid: string;
  readonly text: string;
  readonly selection: string;
  readonly selectionEdge: string;
  /** Lightness of event colours (%): darker on light backgrounds. */
  readonly eventLightness: number;
}

export interface TimelineFrame {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly viewport: TimeWindow;
  readonly buckets: LodBuckets | null;
  readonly selection: TimeWindow | null;
  readonly ticks: readonly Tick[];
}

/** A stable, distinct hue per event index (golden-angle steps). */
export function eventColor(eventIndex: number, lightness: number): string {
  return `hsl(${Math.round((eventIndex * 137.508) % 360)} 70% ${lightness}%)`;
}

export function drawTimeline(ctx: CanvasRenderingContext2D, frame: TimelineFrame, palette: TimelinePalette): void {
  const { width, height, viewport } = frame;
  const span = viewport.t1 - viewport.t0;
  const xOf = (t: number): number => ((t - viewport.t0) / span) * width;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);

  for (let lane = 0; lane < LANE_COUNT; lane++) {
    ctx.fillStyle = lane % 2 === 0 ? palette.laneEven : palette.laneOdd;
    ctx.fillRect(0, AXIS_HEIGHT + lane * LANE_HEIGHT, width, LANE_HEIGHT);
  }
  // The class boundary (core above, aux below).
  ctx.fillStyle = palette.grid;
  ctx.fillRect(0, AXIS_HEIGHT + 8 * LANE_HEIGHT - 1, width, 1);

  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const tick of frame.ticks) {
    const x = Math.round(xOf(tick.t)) + 0.5;
    ctx.fillStyle = palette.grid;
    ctx.fillRect(x, AXIS_HEIGHT - 6, 1, height - AXIS_HEIGHT + 6);
    ctx.fillStyle = palette.text;
    ctx.fillText(tick.label, x + 4, AXIS_HEIGHT / 2);
  }

  if (frame.buckets) drawBuckets(ctx, frame, palette, xOf);

  if (frame.selection) {
    const x0 = Math.max(0, xOf(frame.selection.t0));
    const x1 = Math.min(width, xOf(frame.selection.t1));
    if (x1 > x0) {
      ctx.fillStyle = palette.selection;
      ctx.fillRect(x0, AXIS_HEIGHT, Math.max(1, x1 - x0), height - AXIS_HEIGHT);
      ctx.fillStyle = palette.selectionEdge;
      ctx.fillRect(x0, AXIS_HEIGHT, 1, height - AXIS_HEIGHT);
      ctx.fillRect(x1 - 1, AXIS_HEIGHT, 1, height - AXIS_HEIGHT);
    }
  }
}

/**
 * One bar per non-empty (lane, column): its height grows with log(count) against the lane's
 * busiest column, so a single event still shows and a burst stands out. Buckets fetched for an
 * older viewport are mapped to the current one, so panning stays smooth while the engine answers.
 */
function drawBuckets(ctx: CanvasRenderingContext2D, frame: TimelineFrame, palette: TimelinePalette, xOf: (t: number) => number): void {
  const b = frame.buckets!;
  const colSpan = (b.t1 - b.t0) / b.width;
  const colWidth = Math.max(1, xOf(b.t0 + colSpan) - xOf(b.t0));
  const colors = new Map<number, string>();
  for (let lane = 0; lane < LANE_COUNT; lane++) {
    const top = AXIS_HEIGHT + lane * LANE_HEIGHT;
    let max = 0;
    for (let c = 0; c < b.width; c++) max = Math.max(max, b.counts[lane * b.width + c]!);
    if (max === 0) continue;
    const logMax = Math.log1p(max);
    for (let c = 0; c < b.width; c++) {
      const count = b.counts[lane * b.width + c]!;
      if (count === 0) continue;
      const x = xOf(b.t0 + c * colSpan);
      if (x + colWidth < 0 || x > frame.width) continue;
      const ev = b.dominant[lane * b.width + c]!;
      let color = colors.get(ev);
      if (color === undefined) colors.set(ev, (color = eventColor(ev, palette.eventLightness)));
      const h = Math.max(4, (LANE_HEIGHT - 4) * (0.35 + (0.65 * Math.log1p(count)) / logMax));
      ctx.fillStyle = color;
      ctx.fillRect(x, top + (LANE_HEIGHT - h) / 2, Math.max(colWidth, 2), h);
    }
  }
}
