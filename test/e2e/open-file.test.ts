/**
 * Opening files picked in the page (read in the page, imported by the engine worker, nothing sent to the host), in
 * Debian's Chromium against `wireview serve` started without a file: a trace of several blocks
 * shows its progress bar going up and then the counts the engine in Node finds; a file that is
 * no trace shows one line naming it and leaves the page usable; pcapng and seed CSV files open
 * (their importers are loaded by the worker when they arrive); a dropped file opens too; the
 * host's own file opened at start is read while the page mounts (its open is measured as
 * `wireview:open`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { Engine } from '../../renderer/engine/engine.js';
import { laneName, LANE_COUNT } from '../../renderer/engine/model/events.js';
import { corpusDir, fixturesDir } from '../paths.js';
import { e2eUnavailable, launchChromium, openApp, recordProgress, serve, writeSyntheticTrace, type ServedHost } from './support.js';

const skip = e2eUnavailable();
let dir: string;
let browser: Browser;
let host: ServedHost;
let page: Page;
const errors: string[] = [];

async function laneTotal(): Promise<number> {
  let sum = 0;
  for (let lane = 0; lane < LANE_COUNT; lane++) {
    sum += Number(await page.getByRole('group', { name: laneName(lane), exact: true }).locator('[data-count]').getAttribute('data-count'));
  }
  return sum;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'wireview-open-file-'));
  host = await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await page.getByRole('region', { name: 'Welcome' }).waitFor();
});
after(async () => {
  await browser?.close();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, []);
});

test('a picked trace of several blocks shows its progress, then its counts', { skip, timeout: 120_000 }, async () => {
  const path = join(dir, 'several-blocks.arrows');
  writeSyntheticTrace(path, 150_000, 7);
  const expected = new Engine({ store: (await openTrace(path)).store });
  const bar = await recordProgress(page, 'progress');
  await page.getByLabel('File to open from the welcome screen').setInputFiles(path);
  await page.waitForSelector(`[role=status][data-total="${expected.store.rowCount}"]`, { timeout: 60_000 });
  assert.equal(await laneTotal(), expected.store.rowCount);
  const progress = await bar.read();
  assert.ok(progress.some((p) => p > 0 && p < 100), `the bar showed a part done (values seen: ${progress.join(', ')})`);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, 'the bar only goes up');
  assert.match((await page.locator('.status-bar').textContent()) ?? '', /several-blocks\.arrows: 150,000 events/);
});

test('a picked file that is no trace: one line naming it, and the page still opens the next', { skip, timeout: 60_000 }, async () => {
  const bad = join(dir, 'notes.txt');
  writeFileSync(bad, 'these are notes, not packets\n'.repeat(100));
  await page.getByLabel('Trace file to open').setInputFiles(bad);
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'notes.txt' }).waitFor({ timeout: 20_000 });
  const text = (await alert.textContent()) ?? '';
  assert.equal(text, 'notes.txt: not a WireView trace, pcap, pcapng or seed CSV file');
  assert.doesNotMatch(text, /\n|at [\w.]+ \(/, 'one line, no stack');
  const good = join(dir, 'good.arrows');
  writeSyntheticTrace(good, 5_000, 7);
  await page.getByLabel('Trace file to open').setInputFiles(good);
  await page.waitForSelector('[role=status][data-total="5000"]', { timeout: 20_000 });
  assert.equal(await page.getByRole('alert').count(), 0, 'the error is gone with the next open');
});

for (const path of [join(corpusDir, 'ahcp.pcapng'), join(fixturesDir, 'csv', 'network-sample.csv')]) {
  const name = basename(path);
  test(`a picked ${name} opens with the importer the worker loads for it`, { skip, timeout: 60_000 }, async () => {
    const expected = (await openTrace(path)).store.rowCount;
    assert.ok(expected > 0);
    await page.getByLabel('Trace file to open').setInputFiles(path);
    await page.waitForSelector(`[role=status][data-total="${expected}"]`, { timeout: 20_000 });
    assert.equal(await laneTotal(), expected);
    assert.match((await page.locator('.status-bar').textContent()) ?? '', new RegExp(`^${name.replace('.', '\\.')}: `));
  });
}

test('a file dropped on the page opens like a picked one', { skip, timeout: 60_000 }, async () => {
  const path = join(corpusDir, 'afs.pcap');
  const expected = (await openTrace(path)).store.rowCount;
  const bytes = readFileSync(path).toString('base64');
  await page.evaluate((b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'afs.pcap'));
    const target = document.querySelector('.app')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await page.waitForSelector(`[role=status][data-total="${expected}"]`, { timeout: 20_000 });
  assert.equal(await laneTotal(), expected);
  assert.match((await page.locator('.status-bar').textContent()) ?? '', /^afs\.pcap: /);
});

test("the host's file is opened by the engine worker before the page has mounted", { skip, timeout: 60_000 }, async () => {
  const path = join(dir, 'hosted.arrows');
  writeSyntheticTrace(path, 100_000, 7);
  const hosted = await serve(path);
  try {
    const other = await openApp(browser, hosted, 100_000, errors);
    const marks = await other.evaluate(() => {
      const open = performance.getEntriesByName('wireview:open')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { openStart: open?.startTime ?? NaN, openEnd: open ? open.startTime + open.duration : NaN, firstPaint: fcp?.startTime ?? NaN };
    });
    assert.ok(Number.isFinite(marks.openStart), 'the open was measured');
    // The worker was already reading when the page first painted (its welcome or progress bar).
    assert.ok(marks.openStart < marks.firstPaint, `open asked at ${marks.openStart} ms, first paint at ${marks.firstPaint} ms`);
    await other.close();
  } finally {
    await hosted.stop();
  }
});

test("the host's file that is no trace: one line naming it", { skip, timeout: 60_000 }, async () => {
  const bad = join(dir, 'served-notes.txt');
  writeFileSync(bad, 'not packets either\n'.repeat(100));
  const hosted = await serve(bad);
  try {
    const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(hosted.url);
    const alert = other.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    assert.equal(await alert.textContent(), 'served-notes.txt: not a WireView trace, pcap, pcapng or seed CSV file');
    await other.close();
  } finally {
    await hosted.stop();
  }
});
