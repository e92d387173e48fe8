/**
 * The WindView timeline: 16 lanes (core/aux × EMERGENCY…VERBOSE), each a labelled group showing
 * its event count, beside one canvas. The canvas redraws through store subscriptions and
 * requestAnimationFrame, not React renders; LOD buckets are fetched for the visible window, one
 * request at a time, the latest viewport winning.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import { laneName, LANE_COUNT } from '../../engine/model/events.js';
import type { LodBuckets } from '../../engine/query/lod.js';
import type { TimeWindow } from '../../state/view-store.js';
import { useServices, useView } from '../app-context.js';
import { AXIS_HEIGHT, LANE_HEIGHT, drawTimeline, type TimelinePalette } from './draw-timeline.js';
import { laneCounts } from './lane-counts.js';
import { timeTicks } from './time-axis.js';
import { useTimelineInput } from './timeline-input.js';

const LANES = Array.from({ length: LANE_COUNT }, (_, lane) => lane);
const FORMAT = new Intl.NumberFormat('en-US');

function readPalette(element: Element): TimelinePalette {
  const css = getComputedStyle(element);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  return {
    background: v('--tl-bg'),
    laneEven: v('--tl-lane-even'),
    laneOdd: v('--tl-lane-odd'),
    grid: v('--tl-grid'),
    text: v('--fg-muted'),
    selection: v('--tl-selection'),
    selectionEdge: v('--accent'),
    eventLightness: Number(v('--tl-event-lightness')) || 45,
  };
}

export function Timeline(): JSX.Element {
  const { engine, view } = useServices();
  const trace = useView((s) => s.trace);
  const filter = useView((s) => s.filter);
  const [counts, setCounts] = useState<number[] | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dragRef = useRef<TimeWindow | null>(null);

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

  useEffect(() => {
    const canvas = canvasRef.current!;
    let size = { width: 0, height: 0 };
    let buckets: LodBuckets | null = null;
    let bucketsKey = '';
    let inFlight = false;
    let frameRequested = false;
    let palette = readPalette(canvas);

    const wantedKey = (): string => {
      const s = view.getState();
      return `${s.viewport.t0}|${s.viewport.t1}|${Math.round(size.width)}|${s.filter}|${s.trace?.rowCount ?? -1}`;
    };
    const fetchBuckets = (): void => {
      const s = view.getState();
      const key = wantedKey();
      if (inFlight || !s.trace || key === bucketsKey || size.width < 1) return;
      inFlight = true;
      engine
        .call('lod', { t0: s.viewport.t0, t1: s.viewport.t1, width: Math.min(4096, Math.round(size.width)), filter: s.filter })
        .then(
          (b) => {
            buckets = b;
            bucketsKey = key;
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
      const s = view.getState();
      const ctx = canvas.getContext('2d');
      if (!ctx || size.width < 1) return;
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      // The visible window, for scripts and tests (relative ns).
      canvas.dataset.t0 = String(s.viewport.t0);
      canvas.dataset.t1 = String(s.viewport.t1);
      const epochOfZero = s.trace ? s.trace.baseNs + s.trace.wallOffsetNs : 0n;
      drawTimeline(
        ctx,
        {
          width: size.width,
          height: size.height,
          viewport: s.viewport,
          buckets: s.trace ? buckets : null,
          selection: dragRef.current ?? s.selection,
          ticks: s.trace ? timeTicks(s.viewport.t0, s.viewport.t1, size.width, epochOfZero) : [],
        },
        palette,
      );
      fetchBuckets();
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
      if (s.trace !== prev.trace) buckets = null;
      schedule();
    });
    canvas.addEventListener('wireview:redraw', schedule);
    return () => {
      resize.disconnect();
      unsubscribe();
      canvas.removeEventListener('wireview:redraw', schedule);
    };
  }, [engine, view]);

  useTimelineInput(canvasRef, dragRef);

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="lane-labels" style={{ paddingTop: AXIS_HEIGHT }}>
        {LANES.map((lane) => {
          const count = counts?.[lane] ?? 0;
          const name = laneName(lane);
          return (
            <div key={lane} role="group" aria-label={name} className={`lane-label${count === 0 ? ' lane-empty' : ''}${lane === 8 ? ' lane-class-start' : ''}`} style={{ height: LANE_HEIGHT }}>
              <span className="lane-name">{name.replace(' · ', ' ')}</span>
              <span className="lane-count" data-count={count}>
                {FORMAT.format(count)}
              </span>
            </div>
          );
        })}
      </div>
      <canvas
        ref={canvasRef}
        className="timeline-canvas"
        tabIndex={0}
        style={{ height: AXIS_HEIGHT + LANE_COUNT * LANE_HEIGHT }}
        aria-label="Timeline canvas: drag to select a time range, drag the axis to pan, wheel or W/S to zoom, A/D to pan, Escape clears the selection"
      />
    </section>
  );
}
