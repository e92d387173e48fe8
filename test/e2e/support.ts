/**
 * What the end-to-end tests share: `wireview serve` started as the user would (the built CLI,
 * the URL read from its stdout), and Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { Engine } from '../../renderer/engine/engine.js';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { appendSyntheticEvents } from '../support/synthetic-events.js';
import { repoRoot } from '../paths.js';

export const CHROMIUM = process.env.WIREVIEW_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotsDir = join(repoRoot, 'test', 'e2e', 'screenshots');
const CLI = join(repoRoot, 'bin', 'wireview.js');

/** Why the e2e tests cannot run here (no Chromium, renderer not built), or undefined when they can. */
export function e2eUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set WIREVIEW_CHROMIUM)`;
  if (!existsSync(join(repoRoot, 'dist-renderer', 'index.html'))) return 'renderer not built (npm run build)';
  return undefined;
}

export interface ServedHost {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  stop(): Promise<void>;
}

/**
 * Runs `wireview serve [file]` and waits for the URL it prints (10 s at most). `asNobody` (root
 * only) runs it as user and group 65534 with no capabilities, like a user without privileges.
 */
export function serve(file?: string, asNobody = false): Promise<ServedHost> {
  const argv = [process.execPath, CLI, 'serve', ...(file ? [file] : [])];
  if (asNobody) argv.unshift('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all');
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`wireview serve printed no URL in 10 s; stderr: ${err}`));
    }, 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wireview serve exited with ${code}: ${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: m[0],
        origin: m[1]!,
        token: m[2]!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGINT');
          }),
      });
    });
  });
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A new page on `host` once the table shows `total` events; page errors are collected in `errors`. */
export async function openApp(browser: Browser, host: ServedHost, total: number, errors: string[] = []): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await page.waitForSelector(`[role=status][data-total="${total}"]`, { timeout: 20_000 });
  return page;
}

export interface AppSession {
  page: Page;
  /** The engine run in Node on the same file: what the page must show. */
  engine: Engine;
}

/**
 * Registers the hooks of a test file that looks at one trace: `before` serves it, opens it in
 * Chromium and fills the session; `after` checks the page raised no error and closes everything.
 */
export function appSession(trace: string): AppSession {
  const session = {} as AppSession;
  const errors: string[] = [];
  let host: ServedHost | undefined;
  let browser: Browser | undefined;
  before(async () => {
    if (e2eUnavailable()) return;
    session.engine = new Engine({ store: (await openTrace(trace)).store });
    host = await serve(trace);
    browser = await launchChromium();
    session.page = await openApp(browser, host, session.engine.store.rowCount, errors);
  });
  after(async () => {
    assert.deepEqual(errors, []);
    await browser?.close();
    await host?.stop();
  });
  return session;
}

/** The timeline's visible window (relative ns), as the canvas publishes it at its next paint. */
export async function visibleWindow(page: Page): Promise<{ t0: number; t1: number }> {
  return page.evaluate(
    () =>
      new Promise<{ t0: number; t1: number }>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const c = document.querySelector('canvas.timeline-canvas')!;
            resolve({ t0: Number(c.getAttribute('data-t0')), t1: Number(c.getAttribute('data-t1')) });
          }),
        ),
      ),
  );
}

/** With WIREVIEW_DOCS_SCREENSHOT=1, copies a screenshot of this run to docs/images/`docsName` (the README shows them). */
export function publishScreenshot(name: string, docsName: string): void {
  if (process.env.WIREVIEW_DOCS_SCREENSHOT) copyFileSync(join(screenshotsDir, name), join(repoRoot, 'docs', 'images', docsName));
}

/** A child process that listens on 127.0.0.1:`port`, connects to it, sends a line and closes; resolves when it has connected. */
export function loopbackConnection(port: number): Promise<void> {
  const script = `
    const net = require('node:net');
    const server = net.createServer((s) => s.on('data', () => s.end()));
    server.listen(${port}, '127.0.0.1', () => {
      const c = net.connect(${port}, '127.0.0.1', () => { process.stdout.write('connected\\n'); c.end('hello\\n'); });
      c.on('close', () => server.close());
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('connected') && resolve());
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the connecting child exited with ${code}`))));
  });
}

/** Writes `count` synthetic events (test/support/synthetic-events.ts, `seed`) as a native trace at `path`. */
export function writeSyntheticTrace(path: string, count: number, seed: number): void {
  const store = new EventStore();
  appendSyntheticEvents(store, { count, seed });
  const fd = openSync(path, 'w');
  try {
    const writer = new TraceWriter(store, (chunk) => writeSync(fd, chunk));
    for (const batch of store.batches) writer.writeBatch(batch);
    writer.end();
  } finally {
    closeSync(fd);
  }
}

/**
 * From now on, records every value the `<progress>` matching `selector` shows (as the page
 * renders it); `read()` returns them so far.
 */
export async function recordProgress(page: Page, selector: string): Promise<{ read: () => Promise<number[]> }> {
  const key = `__progress_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ({ key, selector }) => {
      const seen: number[] = [];
      (window as unknown as Record<string, number[]>)[key] = seen;
      new MutationObserver(() => {
        const bar = document.querySelector(selector);
        if (bar) seen.push(Number(bar.getAttribute('value')));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    },
    { key, selector },
  );
  return { read: () => page.evaluate((k) => [...(window as unknown as Record<string, number[]>)[k]!], key) };
}
