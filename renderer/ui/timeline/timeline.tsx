/**
 * The WindView timeline: lanes (16 class × priority lanes, or one per process or connection),
 * each a labelled, collapsible group showing its event count, beside one canvas. The canvas
 * redraws through store subscriptions and requestAnimationFrame, not React renders; LOD buckets
 * (and capture-loss marks) are fetched for the visible window, one request at a time, the latest
 * viewport winning. A click on a glyph selects its row; a row selected in the table is marked here
 * (and the window moves to it when it is outside).
 */
import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { EVENTS } from '../../engine/model/events.js';
import { OTHER_GROUP_KEY, type LaneGroup } from '../../engine/query/lane-groups.js';
import type { TimeWindow } from '../../state/view-store.js';
import { currentBookmarks } from '../../state/view-store.js';
import { useServices, useView } from '../app-context.js';
import { drawTimeline, type LaneBuckets, type TimelinePalette } from './draw-timeline.js';
import { laneCounts } from './lane-counts.js';
import { classLaneSpecs, groupLaneSpecs, laneAt, layoutHeight, layoutLanes, type LaneRow } from './lane-layout.js';
import { LaneLabels } from './lane-labels.js';
import { timeTicks } from './time-axis.js';
import { useTimelineInput, type TimelineInputHandlers } from './timeline-input.js';
import { TimelineLegend } from './timeline-legend.js';
import { RegroupStatus, TimelineToolbar } from './timeline-toolbar.js';

/** Most capture.lost marks drawn per window. */
const LOSS_MARK_LIMIT = 2000;
/** Paint measures kept in the performance timeline (for the UI bench) before they are cleared. */
const PAINT_MEASURES_KEPT = 1000;
export const PAINT_MEASURE = 'wireview:timeline-paint';

function readPalette(element: Element): TimelinePalette {
  const css = getComputedStyle(element);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  return {
    background: v('--tl-bg'),
    laneEven: v('--tl-lane-even'),
    laneOdd: v('--tl-lane-odd'),
    laneEmpty: v('--tl-lane-empty'),
    grid: v('--tl-grid'),
    text: v('--fg-muted'),
    selection: v('--tl-selection'),
    selectionEdge: v('--accent'),
    loss: v('--tl-loss'),
    lossBand: v('--tl-loss-band'),
    bookmark: v('--tl-bookmark'),
    selectedRow: v('--fg'),
    eventLightness: Number(v('--tl-event-lightness')) || 45,
  };
}

/** The selected row as the timeline places it: its time and the key of its lane. */
interface SelectedPlace {
  readonly t: number;
  readonly laneKey: string;
}

export function Timeline(): JSX.Element {
  const { engine, view } = useServices();
  const trace = useView((s) => s.trace);
  const filter = useView((s) => s.filter);
  const grouping = useView((s) => s.grouping);
  const collapsed = useView((s) => s.collapsed);
  const selectedRow = useView((s) => s.selectedRow);
  const [counts, setCounts] = useState<number[] | null>(null);
  const [groups, setGroups] = useState<readonly LaneGroup[]>([]);
  const [legend, setLegend] = useState<readonly number[]>([]);
  const [lossMarks, setLossMarks] = useState(0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dragRef = useRef<TimeWindow | null>(null);
  const selectedRef = useRef<SelectedPlace | null>(null);
  /** The row the window last moved to (a live trace growing must not pull the window back to it). */
  const broughtIntoView = useRef<number | null>(null);

  const lanes = useMemo(
    () => layoutLanes(grouping === 'class' ? classLaneSpecs(counts) : groupLaneSpecs(grouping, groups), collapsed),
    [grouping, counts, groups, collapsed],
  );
  const lanesRef = useRef<readonly LaneRow[]>(lanes);
  lanesRef.current = lanes;
  useEffect(() => {
    canvasRef.current?.dispatchEvent(new Event('wireview:redraw'));
  }, [lanes]);

  useEffect(() => {
    if (!trace) return setCounts(null);
    let live = true;
    engine.call('counts', { filter }).then(
      (c) => live && setCounts(laneCounts(c.byEvent)),
      () => live && setCounts(null),
    );
    return () => {
      live = false;
    };
  }, [engine, trace, filter]);

  // A row selected anywhere: mark it, and bring it into view when it is outside the window.
  useEffect(() => {
    selectedRef.current = null;
    canvasRef.current?.dispatchEvent(new Event('wireview:redraw'));
    if (selectedRow === null) broughtIntoView.current = null;
    if (selectedRow === null || !trace) return;
    let live = true;
    engine.call('rowPlace', { row: selectedRow, groupBy: grouping === 'class' ? undefined : grouping }).then(
      (p) => {
        if (!live) return;
        selectedRef.current = { t: p.t, laneKey: grouping === 'class' ? `lane:${p.lane}` : `${grouping}:${p.group}` };
        const { viewport } = view.getState();
        if (broughtIntoView.current !== selectedRow && (p.t < viewport.t0 || p.t >= viewport.t1)) view.getState().centreOn(p.t);
        broughtIntoView.current = selectedRow;
        canvasRef.current?.dispatchEvent(new Event('wireview:redraw'));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [engine, view, trace, selectedRow, grouping]);

  useEffect(() => {
    const canvas = canvasRef.current!;
    let size = { width: 0, height: 0 };
    let buckets: LaneBuckets | null = null;
    let loss: Float64Array | null = null;
    let bucketsKey = '';
    let inFlight = false;
    let frameRequested = false;
    let palette = readPalette(canvas);
    let shownEvents = '';
    let measures = 0;

    const wantedKey = (): string => {
      const s = view.getState();
      return `${s.viewport.t0}|${s.viewport.t1}|${Math.round(size.width)}|${s.filter}|${s.trace?.rowCount ?? -1}|${s.grouping}`;
    };
    const showLegend = (b: LaneBuckets): void => {
      const seen = new Uint8Array(EVENTS.length);
      for (const d of b.dominant) if (d >= 0) seen[d] = 1;
      const present: number[] = [];
      for (let e = 0; e < seen.length; e++) if (seen[e]) present.push(e);
      const key = present.join(',');
      if (key !== shownEvents) {
        shownEvents = key;
        setLegend(present);
      }
    };
    const fetchBuckets = (): void => {
      const s = view.getState();
      const key = wantedKey();
      if (inFlight || !s.trace || key === bucketsKey || size.width < 1) return;
      inFlight = true;
      const window = { t0: s.viewport.t0, t1: s.viewport.t1, width: Math.min(4096, Math.round(size.width)), filter: s.filter };
      const grouped = s.grouping === 'class' ? null : s.grouping;
      // The first regroup of a big trace assigns every row to its lane: the engine says how far.
      const total = s.trace.rowCount;
      const regrouping = (done: number): void => (grouped ? view.getState().setRegroup({ by: grouped, done, total }) : undefined);
      const lod = grouped
        ? engine.call('groupLod', { ...window, groupBy: grouped }, [], regrouping).then((g) => {
            setGroups((old) => (sameGroups(old, g.groups) ? old : g.groups));
            return g;
          })
        : engine.call('lod', window);
      void lod.finally(() => {
        if (view.getState().regroup) view.getState().setRegroup(null);
      }).catch(() => undefined);
      Promise.all([lod, engine.call('eventMarks', { event: 'capture.lost', t0: window.t0, t1: window.t1, limit: LOSS_MARK_LIMIT })])
        .then(
          ([b, marks]) => {
            buckets = b;
            loss = marks.total > 0 ? marks.ts : null;
            canvas.dataset.lossMarks = String(marks.total);
            setLossMarks(marks.total);
            bucketsKey = key;
            showLegend(b);
          },
          () => {
            bucketsKey = key; // a failed query is not retried until the view changes
          },
        )
        .finally(() => {
          inFlight = false;
          schedule();
        });
    };
    const paint = (): void => {
      frameRequested = false;
      const start = performance.now();
      const s = view.getState();
      // Desynchronized: the canvas is not committed with the page's frame (in Chromium's software
      // path that commit was most of a frame's main-thread time while panning); opaque: every pixel is painted.
      const ctx = canvas.getContext('2d', { desynchronized: true, alpha: false });
      if (!ctx || size.width < 1) return;
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      // The visible window, for scripts and tests (relative ns).
      canvas.dataset.t0 = String(s.viewport.t0);
      canvas.dataset.t1 = String(s.viewport.t1);
      const epochOfZero = s.trace ? s.trace.baseNs + s.trace.wallOffsetNs : 0n;
      const lanes = lanesRef.current;
      const selected = selectedRef.current;
      let selectedLane = -1;
      if (selected) {
        selectedLane = lanes.findIndex((l) => l.key === selected.laneKey);
        if (selectedLane < 0) selectedLane = lanes.findIndex((l) => l.group === OTHER_GROUP_KEY);
      }
      // The selected row's mark, for scripts and tests: its time and lane key.
      canvas.dataset.selectedT = selected ? String(selected.t) : '';
      canvas.dataset.selectedLane = selectedLane >= 0 ? lanes[selectedLane]!.key : '';
      drawTimeline(
        ctx,
        {
          width: size.width,
          height: size.height,
          viewport: s.viewport,
          lanes,
          buckets: s.trace ? buckets : null,
          selection: dragRef.current ?? s.selection,
          ticks: s.trace ? timeTicks(s.viewport.t0, s.viewport.t1, size.width, epochOfZero) : [],
          lossMarks: s.trace ? loss : null,
          bookmarks: currentBookmarks(s),
          selected: selected && s.trace ? { t: selected.t, lane: selectedLane } : null,
        },
        palette,
      );
      fetchBuckets();
      performance.measure(PAINT_MEASURE, { start, end: performance.now() });
      if (++measures > PAINT_MEASURES_KEPT) {
        performance.clearMeasures(PAINT_MEASURE);
        measures = 0;
      }
    };
    const schedule = (): void => {
      if (frameRequested) return;
      frameRequested = true;
      requestAnimationFrame(paint);
    };
    const resize = new ResizeObserver(() => {
      const rect = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      size = { width: rect.width, height: rect.height };
      canvas.width = Math.round(rect.width * dpr);
      canvas.height = Math.round(rect.height * dpr);
      schedule();
    });
    resize.observe(canvas);
    const unsubscribe = view.subscribe((s, prev) => {
      if (s.theme !== prev.theme) palette = readPalette(canvas);
      if (s.trace !== prev.trace && s.trace?.baseNs !== prev.trace?.baseNs) buckets = null;
      if (s.grouping !== prev.grouping) buckets = null;
      schedule();
    });
    canvas.addEventListener('wireview:redraw', schedule);
    return () => {
      resize.disconnect();
      unsubscribe();
      canvas.removeEventListener('wireview:redraw', schedule);
    };
  }, [engine, view]);

  const handlers = useMemo<TimelineInputHandlers>(
    () => ({
      onClick: (t, y, slop) => {
        const lane = laneAt(lanesRef.current, y);
        const s = view.getState();
        if (!lane || !s.trace) return;
        const where =
          lane.classLane !== undefined
            ? { lane: lane.classLane }
            : { groupBy: s.grouping === 'class' ? undefined : s.grouping, group: lane.group, shownGroups: lanesRef.current.map((l) => l.group ?? '') };
        engine.call('pick', { t, slop, filter: s.filter, ...where }).then(
          (p) => p && view.getState().selectRow(p.row),
          () => undefined,
        );
      },
    }),
    [engine, view],
  );
  useTimelineInput(canvasRef, dragRef, handlers);

  return (
    <section className="timeline" aria-label="Timeline">
      <TimelineToolbar />
      <RegroupStatus />
      <div className="timeline-body">
        <LaneLabels lanes={lanes} />
        <canvas
          ref={canvasRef}
          className="timeline-canvas"
          tabIndex={0}
          style={{ height: layoutHeight(lanes) }}
          aria-label="Timeline canvas: drag to select a time range, click an event to select it, drag the axis to pan, wheel or W/S to zoom, A/D to pan, B to bookmark, Enter selects the visible window, Escape clears the selection"
        />
      </div>
      <TimelineLegend events={legend} lost={lossMarks} />
    </section>
  );
}

function sameGroups(a: readonly LaneGroup[], b: readonly LaneGroup[]): boolean {
  return a.length === b.length && a.every((g, i) => g.key === b[i]!.key && g.count === b[i]!.count && g.label === b[i]!.label);
}
