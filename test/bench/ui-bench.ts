/**
 * UI figures in headless Chromium against `wireview serve`: time from opening a page to its first
 * paint of a trace's lanes, the main-thread work per frame while panning and zooming a big trace
 * (and the timeline's own paint in it; the frame cadence apart), and the renderer's memory with
 * it loaded. Traces are synthetic events written as native traces.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { e2eUnavailable, launchChromium, serve, writeSyntheticTrace } from '../e2e/support.js';
import { ENGINE_READY_MARK } from '../../renderer/engine/worker.js';
import { frameCpuTimes } from './frame-cpu.js';
import { median, percentile, report } from './measure.js';

/**
 * Ms from navigation start to the first animation frame at which the trace is loaded (status
 * shows `count` events) and every lane shows its count (the lane counts add up to `count`):
 * the first frame painted with lanes and their counts.
 */
interface FirstPaint {
  /** Navigation start → first frame with the lanes and their counts, ms. */
  paint: number;
  /** When the page asked the engine worker to open the file, and when its last byte was imported (the `wireview:open` measure), ms. */
  fileStart: number;
  fileEnd: number;
  /** When the engine worker was created, and when it could first answer (its ENGINE_READY_MARK), ms from navigation; NaN when not seen. */
  workerStart: number;
  workerReady: number;
}

/**
 * A new headless Chromium window loads the browser's own top-chrome WebUI (the omnibox popup,
 * ~0.4 s of CPU in its first second); on a small machine that competes with the open being
 * measured, and Electron has no such UI. The open starts once it is done.
 */
const NEW_WINDOW_SETTLE_MS = 1500;

async function openToFirstPaint(page: Page, url: string, count: number, timeoutMs: number): Promise<FirstPaint> {
  await page.waitForTimeout(NEW_WINDOW_SETTLE_MS);
  await page.goto(url);
  const paint = await page.evaluate(
    ({ total, timeout }) =>
      new Promise<number>((resolve, reject) => {
        const ready = (): boolean => {
          if (document.querySelector(`[role=status][data-total="${total}"]`) === null) return false;
          let sum = 0;
          for (const el of document.querySelectorAll('[role=group][aria-label] [data-count]')) sum += Number(el.getAttribute('data-count'));
          return sum === total;
        };
        const frame = (ts: number): void => {
          if (ready()) return resolve(ts);
          if (performance.now() > timeout) return reject(new Error(`the trace did not paint in ${timeout} ms`));
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { total: count, timeout: timeoutMs },
  );
  const file = await page.evaluate(() => {
    const entry = performance.getEntriesByName('wireview:open', 'measure')[0];
    return { start: entry?.startTime ?? NaN, end: entry ? entry.startTime + entry.duration : NaN };
  });
  const origin = await page.evaluate(() => performance.timeOrigin);
  const engine = page.workers().find((w) => w.url().includes('worker'));
  const worker = engine
    ? await engine.evaluate((mark) => ({ origin: performance.timeOrigin, ready: performance.getEntriesByName(mark, 'mark')[0]?.startTime ?? NaN }), ENGINE_READY_MARK)
    : { origin: NaN, ready: NaN };
  return { paint, fileStart: file.start, fileEnd: file.end, workerStart: worker.origin - origin, workerReady: worker.origin + worker.ready - origin };
}

interface FrameRecord {
  /** Intervals between consecutive animation frames, ms, sorted: the display's cadence (vsync). */
  gaps: number[];
  /**
   * Main-thread work per frame, ms, sorted: from the frame's start (the rAF timestamp) to a task
   * posted from the frame's animation callbacks, which runs once the frame's input handlers, rAF
   * callbacks (the timeline's paint), style, layout and paint are done. Idle time is not counted.
   */
  work: number[];
  /** The timeline's own paint per frame (its `wireview:timeline-paint` measures), ms, sorted. */
  paint: number[];
  /** Long animation frames (> 50 ms) Chromium reported, or −1 when it does not report them. */
  longFrames: number;
  /** How many different timeline windows (data-t0/data-t1) the frames showed: proof the input moved it. */
  windows: number;
}

/** Records frame timings in the page while `script` runs (see FrameRecord). */
async function recordFrames(page: Page, script: () => Promise<void>): Promise<FrameRecord> {
  type Recorder = { __frames: number[]; __work: number[]; __paint: number[]; __long: number; __windows: Set<string>; __recording: boolean; __observers: PerformanceObserver[] };
  await page.evaluate(() => {
    const w = window as unknown as Recorder;
    const canvas = document.querySelector('canvas.timeline-canvas');
    w.__frames = [];
    w.__work = [];
    w.__paint = [];
    w.__long = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame') ? 0 : -1;
    w.__windows = new Set();
    w.__recording = true;
    const paints = new PerformanceObserver((list) => {
      for (const e of list.getEntriesByName('wireview:timeline-paint')) w.__paint.push(e.duration);
    });
    paints.observe({ type: 'measure' });
    w.__observers = [paints];
    if (w.__long === 0) {
      const long = new PerformanceObserver((list) => void (w.__long += list.getEntries().length));
      long.observe({ type: 'long-animation-frame' });
      w.__observers.push(long);
    }
    const after = new MessageChannel();
    let frameStart = 0;
    after.port1.onmessage = () => w.__work.push(performance.now() - frameStart);
    const tick = (ts: number): void => {
      w.__frames.push(ts);
      frameStart = ts;
      after.port2.postMessage(0);
      w.__windows.add(`${canvas?.getAttribute('data-t0')}|${canvas?.getAttribute('data-t1')}`);
      if (w.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await script();
  const r = await page.evaluate(async () => {
    const w = window as unknown as Recorder;
    w.__recording = false;
    await new Promise((done) => setTimeout(done, 100));
    for (const o of w.__observers) o.disconnect();
    return { stamps: w.__frames, work: w.__work, paint: w.__paint, longFrames: w.__long, windows: w.__windows.size };
  });
  const gaps: number[] = [];
  for (let i = 1; i < r.stamps.length; i++) gaps.push(r.stamps[i]! - r.stamps[i - 1]!);
  const sorted = (a: number[]): number[] => a.sort((x, y) => x - y);
  return { gaps: sorted(gaps), work: sorted(r.work), paint: sorted(r.paint), longFrames: r.longFrames, windows: r.windows };
}

/** Wheel zooms around the pointer, Shift+wheel pans, drags on the axis pan: about `ms` of input. */
async function panAndZoom(page: Page, ms: number): Promise<void> {
  const box = (await page.locator('canvas.timeline-canvas').boundingBox())!;
  const y = box.y + box.height / 2;
  const end = Date.now() + ms;
  let round = 0;
  while (Date.now() < end) {
    const x = box.x + box.width * (0.3 + 0.4 * ((round * 37) % 10) / 10);
    await page.mouse.move(x, y);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, round % 2 === 0 ? -120 : 120);
    await page.keyboard.down('Shift');
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, round % 2 === 0 ? 120 : -120);
    await page.keyboard.up('Shift');
    // Drag on the axis strip at the top of the canvas: a pan.
    await page.mouse.move(x, box.y + 6);
    await page.mouse.down();
    await page.mouse.move(x + (round % 2 === 0 ? 200 : -200), box.y + 6, { steps: 12 });
    await page.mouse.up();
    round++;
  }
}

/** The largest resident set (VmRSS, bytes) among Chromium renderer processes started by this process. */
function rendererRss(): number {
  const parent = new Map<number, number>();
  const renderers: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(pid);
    } catch {
      // the process ended while we looked
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  let max = 0;
  for (const pid of renderers.filter(ours)) {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      max = Math.max(max, Number(kb ?? 0) * 1024);
    } catch {
      // ended
    }
  }
  return max;
}

/** Open → first paint of a `count`-event trace, 3 fresh pages, the median reported with where the time went. */
async function firstPaintFigures(browser: Browser, dir: string, count: number): Promise<void> {
  const path = join(dir, 'paint.arrows');
  writeSyntheticTrace(path, count, 11);
  const host = await serve(path);
  try {
    const runs: FirstPaint[] = [];
    for (let run = 0; run < 3; run++) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      runs.push(await openToFirstPaint(page, host.url, count, 60_000));
      await page.close();
    }
    runs.sort((a, b) => a.paint - b.paint);
    const mid = runs[1]!;
    const where = `engine worker created ${mid.workerStart.toFixed(0)} ms and ready ${mid.workerReady.toFixed(0)} ms, page up to open asked ${mid.fileStart.toFixed(0)} ms, file read+imported ${(mid.fileEnd - mid.fileStart).toFixed(0)} ms, first queries + paint ${(mid.paint - mid.fileEnd).toFixed(0)} ms; runs ${runs.map((r) => r.paint.toFixed(0)).join(', ')} ms`;
    report(`open → first paint, ${count.toLocaleString('en')} events (median of 3)`, mid.paint, 'ms', { op: '<=', value: 1000 }, where);
  } finally {
    await host.stop();
  }
}

/** The UI figures; `bigEvents` 0 measures only the first paint (`node dist/test/bench/ui-bench.js --paint-only`). */
export async function uiBench(paintEvents: number, bigEvents: number): Promise<void> {
  console.log(`\n# UI: headless Chromium against wireview serve`);
  const unavailable = e2eUnavailable();
  if (unavailable) {
    console.log(`skipped: ${unavailable}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wireview-ui-bench-'));
  const browser = await launchChromium();
  try {
    await firstPaintFigures(browser, dir, paintEvents);
    if (bigEvents <= 0) return;

    const big = join(dir, 'big.arrows');
    writeSyntheticTrace(big, bigEvents, 12);
    const bigHost = await serve(big);
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      const loaded = await openToFirstPaint(page, bigHost.url, bigEvents, 600_000);
      report(`open → first paint, ${bigEvents.toLocaleString('en')} events`, loaded.paint, 'ms');
      await page.waitForTimeout(500);
      let frameRecord: FrameRecord | undefined;
      const cpu = await frameCpuTimes(browser, page, async () => {
        frameRecord = await recordFrames(page, () => panAndZoom(page, 5000));
      });
      const { gaps, work, paint, longFrames, windows } = frameRecord!;
      if (windows < 20) throw new Error(`ui bench: the scripted input moved the timeline only ${windows} times`);
      const n = bigEvents.toLocaleString('en');
      const within = { op: '<=' as const, value: 16 };
      const spread = (a: number[]): string => `p50 ${median(a).toFixed(2)}, max ${a[a.length - 1]?.toFixed(1)} ms, ${a.length} frames`;
      report(`frame CPU p95 (main thread), pan/zoom, ${n} events`, percentile(cpu, 95), 'ms', within, `${spread(cpu).replace('frames', '60 Hz intervals')}; thread time, Chromium trace`);
      report(`frame work p95 (wall clock), pan/zoom`, percentile(work, 95), 'ms', undefined, `${spread(work)}, ${windows} windows; includes time other processes held the CPU`);
      report(`timeline paint p95, pan/zoom, ${n} events`, percentile(paint, 95), 'ms', within, spread(paint));
      report(`long animation frames (> 50 ms), pan/zoom`, longFrames, 'frames', undefined, longFrames < 0 ? 'not reported by this Chromium' : 'PerformanceObserver long-animation-frame');
      // The display's cadence, for reference: vsync-paced at 60 Hz, 16.7 ms unless a frame was missed.
      report(`frame interval p50, pan/zoom`, median(gaps), 'ms', undefined, `cadence; p95 ${percentile(gaps, 95).toFixed(1)} ms`);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      report('renderer: page JS heap used (main thread)', heap / 2 ** 20, 'MiB', undefined, 'CDP JSHeapUsedSize; the engine lives in a worker');
      const rss = rendererRss();
      report('renderer: process resident memory', rss / 2 ** 20, 'MiB', undefined, `${(rss / bigEvents).toFixed(0)} B/event incl. Chromium`);
      await page.close();
    } finally {
      await bigHost.stop();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node dist/test/bench/ui-bench.js --paint-only [events]`: only the first-paint figure (quick, for tuning the open).
if (process.argv[1]?.endsWith('ui-bench.js') && process.argv.includes('--paint-only')) {
  const n = Number(process.argv[process.argv.indexOf('--paint-only') + 1]);
  await uiBench(Number.isInteger(n) && n > 0 ? n : 1_000_000, 0);
}
