/**
 * The app in Debian's Chromium, served by `wireview serve` as a user would start it: the lanes
 * show the trace's counts, the filter changes them (and a bad one shows its error at its column),
 * zoom and pan move the window, a dragged range drives the table, a row opens its details.
 * Expected values come from `wireview info --json` and the engine run in Node on the same file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { Engine } from '../../renderer/engine/engine.js';
import { EVENTS, laneName, LANE_COUNT } from '../../renderer/engine/model/events.js';
import { laneCounts } from '../../renderer/ui/timeline/lane-counts.js';
import { corpusDir, repoRoot } from '../paths.js';
import { e2eUnavailable, launchChromium, screenshotsDir, serve, type ServedHost } from './support.js';

const TRACE = join(corpusDir, 'afs.pcap');
const skip = e2eUnavailable();
let host: ServedHost;
let browser: Browser;
let page: Page;
let engine: Engine;

before(async () => {
  if (skip) return;
  engine = new Engine({ store: (await openTrace(TRACE)).store });
  host = await serve(TRACE);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(host.url);
  await page.waitForSelector(`[role=status][data-total="${engine.store.rowCount}"]`, { timeout: 15_000 });
  assert.deepEqual(problems, []);
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

async function shownLaneCounts(): Promise<number[]> {
  const out: number[] = [];
  for (let lane = 0; lane < LANE_COUNT; lane++) {
    const count = await page.getByRole('group', { name: laneName(lane), exact: true }).locator('[data-count]').getAttribute('data-count');
    out.push(Number(count));
  }
  return out;
}

async function waitForLaneCounts(expected: number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  let shown = await shownLaneCounts();
  while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    shown = await shownLaneCounts();
  }
  assert.deepEqual(shown, expected);
}

const viewport = async (): Promise<{ t0: number; t1: number }> => {
  const canvas = page.locator('canvas.timeline-canvas');
  return { t0: Number(await canvas.getAttribute('data-t0')), t1: Number(await canvas.getAttribute('data-t1')) };
};

test('the 16 lanes show the counts of `wireview info --json`', { skip }, async () => {
  const info = JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'bin', 'wireview.js'), 'info', '--json', TRACE], { encoding: 'utf8' })) as { by_event: Record<string, number> };
  const expected = laneCounts(info.by_event);
  assert.equal(expected.filter((n) => n > 0).length >= 2, true, 'the fixture fills several lanes');
  await waitForLaneCounts(expected);
  assert.equal(await page.locator('[role=group][aria-label]').count(), LANE_COUNT);
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, 'timeline.png'), clip: { x: 0, y: 0, width: 1400, height: 420 } });
});

test('a filter changes the counts; a bad one shows its error at its column', { skip }, async () => {
  const filter = 'net.sport = 7001 or evt.priority <= NOTICE';
  const input = page.getByLabel('Filter', { exact: true });
  await input.fill(filter);
  await input.press('Enter');
  const expected = engine.counts({ filter });
  assert.ok(expected.events > 0 && expected.events < engine.store.rowCount);
  await page.waitForSelector(`[role=status][data-total="${expected.events}"]`);
  await waitForLaneCounts(laneCounts(expected.byEvent));

  const bad = 'net.sport = = 7001';
  const check = engine.checkFilter({ filter: bad });
  assert.equal(check.ok, false);
  await input.fill(bad);
  const alert = page.locator('#filter-error');
  await alert.waitFor();
  assert.equal(Number(await alert.getAttribute('data-column')), check.ok ? -1 : check.column);
  assert.match(await alert.innerText(), new RegExp(check.ok ? '' : check.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.press('Enter'); // refused: the applied filter stays
  await waitForLaneCounts(laneCounts(expected.byEvent));
  await page.screenshot({ path: join(screenshotsDir, 'filter-error.png'), clip: { x: 0, y: 0, width: 1400, height: 80 } });

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForSelector(`[role=status][data-total="${engine.store.rowCount}"]`);
});

/** The visible window once it has stopped moving (a wheel or a drag may reach the page as several events). */
async function settledViewport(): Promise<{ t0: number; t1: number }> {
  let last = await viewport();
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(100);
    const now = await viewport();
    if (now.t0 === last.t0 && now.t1 === last.t1) return now;
    last = now;
  }
  return last;
}

test('W/S zoom, A/D pan, the wheel zooms around the pointer, dragging the axis and Shift+wheel pan', { skip }, async () => {
  const start = await viewport();
  await page.locator('body').press('w');
  await page.waitForFunction((t1) => Number(document.querySelector('canvas.timeline-canvas')?.getAttribute('data-t1')) !== t1, start.t1);
  const zoomed = await viewport();
  assert.ok(Math.abs((zoomed.t1 - zoomed.t0) / (start.t1 - start.t0) - 0.8) < 1e-9);
  await page.locator('body').press('d');
  await page.waitForFunction((t0) => Number(document.querySelector('canvas.timeline-canvas')?.getAttribute('data-t0')) !== t0, zoomed.t0);
  const panned = await viewport();
  assert.ok(Math.abs(panned.t0 - zoomed.t0 - 0.15 * (zoomed.t1 - zoomed.t0)) < 1);
  await page.locator('body').press('s');
  await page.locator('body').press('a');
  const box = (await page.locator('canvas.timeline-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  const before = await viewport();
  await page.mouse.wheel(0, 200);
  await page.waitForFunction((t1) => Number(document.querySelector('canvas.timeline-canvas')?.getAttribute('data-t1')) !== t1, before.t1);
  const wheeled = await settledViewport();
  assert.ok(wheeled.t1 - wheeled.t0 > before.t1 - before.t0, 'wheel down zooms out');

  // Dragging the axis pans: the content follows the pointer (200 px right = the window moves earlier).
  const span = wheeled.t1 - wheeled.t0;
  await page.mouse.move(box.x + box.width / 2, box.y + 6);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 200, box.y + 6, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((t0) => Number(document.querySelector('canvas.timeline-canvas')?.getAttribute('data-t0')) !== t0, wheeled.t0);
  const dragged = await settledViewport();
  assert.ok(Math.abs(dragged.t1 - dragged.t0 - span) < 1e-6 * span, 'a pan keeps the width');
  assert.ok(Math.abs(wheeled.t0 - dragged.t0 - (200 / box.width) * span) < 0.01 * span, `moved ${wheeled.t0 - dragged.t0} ns for 200 px`);
  // Shift+wheel pans too (later for a wheel down), without zooming.
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 120);
  await page.keyboard.up('Shift');
  await page.waitForFunction((t0) => Number(document.querySelector('canvas.timeline-canvas')?.getAttribute('data-t0')) !== t0, dragged.t0);
  const shifted = await viewport();
  assert.ok(shifted.t0 > dragged.t0, 'Shift+wheel down pans later');
  assert.ok(Math.abs(shifted.t1 - shifted.t0 - span) < 1e-6 * span, 'and keeps the width');
});

test('a range dragged on the timeline shows exactly its events in the table', { skip }, async () => {
  const box = (await page.locator('canvas.timeline-canvas').boundingBox())!;
  const y = box.y + 150;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
  const status = page.locator('.table-status');
  await page.waitForSelector('.table-status[data-range-t0]');
  const range = { t0: Number(await status.getAttribute('data-range-t0')), t1: Number(await status.getAttribute('data-range-t1')) };
  const expected = engine.page({ range, offset: 0, limit: 10000, columns: [] });
  assert.ok(expected.total > 0 && expected.total < engine.store.rowCount, `range holds ${expected.total} events`);
  await page.waitForSelector(`.table-status[data-total="${expected.total}"]`);
  await page.waitForSelector(`[role=grid] [role=row][data-row="${expected.rows[0]}"]`);
  const shownFirst = await page.locator('[role=grid] [role=row][data-row]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-row'))));
  assert.deepEqual(shownFirst, Array.from(expected.rows.subarray(0, shownFirst.length)));
  assert.ok(shownFirst.length < 100, `${shownFirst.length} row elements in the DOM`);
  await page.locator('.table-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await page.waitForSelector(`[role=grid] [role=row][data-row="${expected.rows[expected.total - 1]}"]`);
  await page.screenshot({ path: join(screenshotsDir, 'range-table.png') });
});

test('a row opens its details with every field and the catalog description', { skip }, async () => {
  const row = Number(await page.locator('[role=grid] [role=row][data-row]').first().getAttribute('data-row'));
  const first = page.locator(`[role=grid] [role=row][data-row="${row}"]`);
  await first.click();
  const details = engine.details({ row });
  const pane = page.getByRole('complementary', { name: 'Event details' });
  await pane.getByRole('heading', { name: new RegExp(`^${details.event.id.replace('.', '\\.')}`) }).waitFor();
  assert.equal(await first.getAttribute('aria-selected'), 'true');
  assert.ok((await pane.innerText()).includes(EVENTS.find((e) => e.id === details.event.id)!.description));
  assert.equal(await pane.locator('.field').count(), Object.keys(details.fields).length);
  await page.screenshot({ path: join(screenshotsDir, 'table-details.png') });
  await page.getByRole('button', { name: /Switch to the dark theme|Switch to the light theme/ }).click();
  await page.screenshot({ path: join(screenshotsDir, 'theme-toggled.png') });
  if (process.env.WIREVIEW_DOCS_SCREENSHOT) copyFileSync(join(screenshotsDir, 'table-details.png'), join(repoRoot, 'docs', 'images', 'app.png'));
});
