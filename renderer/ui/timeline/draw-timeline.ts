/**
 * Paints the timeline canvas: the wall-clock axis, the lane backgrounds (empty lanes dimmed,
 * collapsed ones thin), the LOD buckets as density bars coloured by each column's event, the
 * range selection, bookmarks, the selected row, and capture-loss marks across every lane. Pure
 * drawing: given the same inputs it paints the same pixels; it never asks the engine for anything.
 */
import type { Bookmark, TimeWindow } from '../../state/view-store.js';
import { AXIS_HEIGHT, type LaneRow } from './lane-layout.js';
import type { Tick } from './time-axis.js';

export interface TimelinePalette {
  readonly background: string;
  readonly laneEven: string;
  readonly laneOdd: string;
  readonly laneEmpty: string;
  readonly grid: string;
  readonly text: string;
  readonly selection: string;
  readonly selectionEdge: string;
  readonly loss: string;
  readonly lossBand: string;
  readonly bookmark: string;
  readonly selectedRow: string;
  /** Lightness of event colours (%): darker on light backgrounds. */
  readonly eventLightness: number;
}

/** Per lane (in `lanes` order) × pixel column: event count and the event whose colour the bar takes. */
export interface LaneBuckets {
  readonly t0: number;
  readonly t1: number;
  readonly width: number;
  readonly counts: Uint32Array;
  readonly dominant: Int16Array;
}

export interface TimelineFrame {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly viewport: TimeWindow;
  readonly lanes: readonly LaneRow[];
  readonly buckets: LaneBuckets | null;
  readonly selection: TimeWindow | null;
  readonly ticks: readonly Tick[];
  /** Relative ts of capture.lost events in view. */
  readonly lossMarks: Float64Array | null;
  readonly bookmarks: readonly Bookmark[];
  /** The selected row: its time and the index of its lane in `lanes` (−1: not in a lane shown). */
  readonly selected: { readonly t: number; readonly lane: number } | null;
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

  frame.lanes.forEach((lane, i) => {
    ctx.fillStyle = lane.count === 0 ? palette.laneEmpty : i % 2 === 0 ? palette.laneEven : palette.laneOdd;
    ctx.fillRect(0, lane.top, width, lane.height);
    if (lane.boundary) {
      // The class boundary (core above, aux below).
      ctx.fillStyle = palette.grid;
      ctx.fillRect(0, lane.top - 1, width, 1);
    }
  });

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
  if (frame.lossMarks) drawLoss(ctx, frame, palette, xOf);

  for (const b of frame.bookmarks) {
    const x = Math.round(xOf(b.t));
    if (x < -1 || x > width + 1) continue;
    ctx.fillStyle = palette.bookmark;
    ctx.fillRect(x, 0, 1, height);
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x + 9, 4);
    ctx.lineTo(x, 8);
    ctx.fill();
  }

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

  if (frame.selected) {
    const x = Math.round(xOf(frame.selected.t)) + 0.5;
    const lane = frame.lanes[frame.selected.lane];
    ctx.strokeStyle = palette.selectedRow;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, AXIS_HEIGHT);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.setLineDash([]);
    if (lane) {
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 4, lane.top + 1, 8, Math.max(4, lane.height - 2));
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
  const barWidth = Math.max(colWidth, 2);
  const colors = new Map<number, string>();
  const lanes = Math.min(frame.lanes.length, b.counts.length / b.width);
  // Columns that land on screen: the rest are not looked at.
  const cFirst = Math.max(0, Math.floor((frame.viewport.t0 - b.t0) / colSpan) - 1);
  const cEnd = Math.min(b.width, Math.ceil((frame.viewport.t1 - b.t0) / colSpan) + 1);
  for (let l = 0; l < lanes; l++) {
    const lane = frame.lanes[l]!;
    const row = l * b.width;
    let max = 0;
    for (let c = 0; c < b.width; c++) if (b.counts[row + c]! > max) max = b.counts[row + c]!;
    if (max === 0) continue;
    const logMax = Math.log1p(max);
    const inner = lane.height - (lane.collapsed ? 2 : 4);
    let color = '';
    let colorOf = -2;
    for (let c = cFirst; c < cEnd; c++) {
      const count = b.counts[row + c]!;
      if (count === 0) continue;
      const ev = b.dominant[row + c]!;
      if (ev !== colorOf) {
        colorOf = ev;
        color = colors.get(ev) ?? '';
        if (color === '') colors.set(ev, (color = eventColor(ev, palette.eventLightness)));
        ctx.fillStyle = color;
      }
      const h = lane.collapsed ? inner : Math.max(4, inner * (0.35 + (0.65 * Math.log1p(count)) / logMax));
      ctx.fillRect(xOf(b.t0 + c * colSpan), lane.top + (lane.height - h) / 2, barWidth, h);
    }
  }
}

/** capture.lost: a red band across every lane at the time the capture lost records, a tick on the axis. */
function drawLoss(ctx: CanvasRenderingContext2D, frame: TimelineFrame, palette: TimelinePalette, xOf: (t: number) => number): void {
  for (const t of frame.lossMarks!) {
    const x = Math.round(xOf(t));
    if (x < -3 || x > frame.width + 3) continue;
    ctx.fillStyle = palette.lossBand;
    ctx.fillRect(x - 3, AXIS_HEIGHT, 7, frame.height - AXIS_HEIGHT);
    ctx.fillStyle = palette.loss;
    ctx.fillRect(x, AXIS_HEIGHT - 8, 1, frame.height - AXIS_HEIGHT + 8);
    ctx.beginPath();
    ctx.moveTo(x - 5, AXIS_HEIGHT - 9);
    ctx.lineTo(x + 5, AXIS_HEIGHT - 9);
    ctx.lineTo(x, AXIS_HEIGHT - 2);
    ctx.fill();
  }
}
