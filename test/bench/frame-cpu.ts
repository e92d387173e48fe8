/**
 * Main-thread CPU time per frame interval of a page, from a Chromium trace: wall-clock frame
 * times on a busy machine include the time other processes held the CPU, thread time does not.
 * The time the page drew frames is cut into 60 Hz intervals (16.7 ms); each interval gets the
 * thread time (`tdur`) of the renderer main thread's top-level tasks that ran in it (input, worker
 * replies, rAF callbacks, style, layout, paint, the canvas's frame), a task across intervals
 * shared in proportion to its wall time in each.
 */
import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

const CATEGORIES = ['toplevel', 'cc'];
export const FRAME_INTERVAL_US = 1e6 / 60;

/** Runs `script` while tracing `page`; returns the main thread's CPU ms per 60 Hz interval, sorted. */
export async function frameCpuTimes(browser: Browser, page: Page, script: () => Promise<void>): Promise<number[]> {
  await browser.startTracing(page, { categories: CATEGORIES });
  await script();
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set<string>();
  for (const e of events) if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.add(`${e.pid}:${e.tid}`);
  // The page's main thread: the renderer main thread that began the most frames; its first and last frame bound the run.
  const frames = new Map<string, number[]>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.name === 'ProxyMain::BeginMainFrame' && mains.has(thread)) frames.set(thread, [...(frames.get(thread) ?? []), e.ts]);
  }
  const [main, starts] = [...frames].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  if (starts.length < 2) return [];
  const first = Math.min(...starts);
  const cpu = new Array<number>(Math.ceil((Math.max(...starts) - first) / FRAME_INTERVAL_US)).fill(0);
  for (const e of events) {
    if (e.name !== 'ThreadControllerImpl::RunTask' || `${e.pid}:${e.tid}` !== main || e.ph !== 'X' || e.tdur === undefined) continue;
    const start = e.ts - first;
    const end = start + Math.max(e.dur ?? 0, 1);
    for (let bin = Math.max(0, Math.floor(start / FRAME_INTERVAL_US)); bin < cpu.length && bin * FRAME_INTERVAL_US < end; bin++) {
      const overlap = Math.min(end, (bin + 1) * FRAME_INTERVAL_US) - Math.max(start, bin * FRAME_INTERVAL_US);
      if (overlap > 0) cpu[bin]! += ((e.tdur / 1000) * overlap) / (end - start);
    }
  }
  return cpu.sort((a, b) => a - b);
}
