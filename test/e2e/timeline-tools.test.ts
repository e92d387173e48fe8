/**
 * The timeline's tools in Debian's Chromium against `wireview serve` on a tcpdump test capture:
 * a lane collapses and expands (mouse and keyboard; the collapse survives a reload), a bookmark is added with B under the pointer,
 * listed, jumped to and removed, a row selected in the table is marked on the timeline (which
 * moves to it), a click on a glyph selects its row in the table, and Enter on the canvas selects
 * the visible window. Expected rows and times come from the engine run in Node on the same file.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { laneName } from '../../renderer/engine/model/events.js';
import { corpusDir } from '../paths.js';
import { appSession, e2eUnavailable, screenshotsDir, visibleWindow } from './support.js';

const TRACE = join(corpusDir, 'afs.pcap');
const skip = e2eUnavailable();
const session = appSession(TRACE);

const canvas = (): ReturnType<Page['locator']> => session.page.locator('canvas.timeline-canvas');

/** The busiest class lane of the trace (so it has glyphs to click). */
function busiestLane(): number {
  const totals = Array.from(session.engine.lanes.laneTotals);
  return totals.indexOf(Math.max(...totals));
}

test('a lane collapses and expands from its label, by mouse and by keyboard', { skip }, async () => {
  const name = laneName(busiestLane());
  const group = session.page.getByRole('group', { name, exact: true });
  const toggle = group.getByRole('button', { name, exact: true });
  const height = async (): Promise<number> => (await group.boundingBox())!.height;
  const canvasHeight = async (): Promise<number> => (await canvas().boundingBox())!.height;
  const open = { lane: await height(), canvas: await canvasHeight() };
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok((await height()) < open.lane / 2, 'the collapsed lane is a thin strip');
  assert.equal(await canvasHeight(), open.canvas - (open.lane - (await height())));
  assert.equal(Number(await group.locator('[data-count]').getAttribute('data-count')), session.engine.lanes.laneTotals[busiestLane()]);
  await session.page.screenshot({ path: join(screenshotsDir, 'lane-collapsed.png'), clip: { x: 0, y: 0, width: 1400, height: 480 } });
  // Remembered like the other view settings: still collapsed after a reload.
  await session.page.reload();
  await session.page.waitForSelector(`[role=status][data-total="${session.engine.store.rowCount}"]`);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'the collapse survived a reload');
  assert.ok((await height()) < open.lane / 2);
  await toggle.focus();
  await session.page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await height(), open.lane);
});

test('empty lanes are dimmed: their label and their row of the canvas', { skip }, async () => {
  const totals = Array.from(session.engine.lanes.laneTotals);
  const empty = totals.indexOf(0);
  const busy = busiestLane();
  assert.ok(empty >= 0, 'the fixture leaves a lane empty');
  const look = (lane: number): Promise<{ className: string; opacity: number; pixel: number[]; emptyColour: string }> =>
    session.page.getByRole('group', { name: laneName(lane), exact: true }).evaluate((group) => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.timeline-canvas')!;
      const g = group.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      const scale = canvas.width / c.width;
      // A pixel of the lane's row near the canvas's left edge, at the row's middle.
      const data = canvas.getContext('2d')!.getImageData(Math.round(2 * scale), Math.round((g.top + g.height / 2 - c.top) * scale), 1, 1).data;
      const probe = document.createElement('div');
      probe.style.color = getComputedStyle(canvas).getPropertyValue('--tl-lane-empty');
      document.body.append(probe);
      const emptyColour = getComputedStyle(probe).color;
      probe.remove();
      return { className: group.className, opacity: Number(getComputedStyle(group).opacity), pixel: [data[0]!, data[1]!, data[2]!], emptyColour };
    });
  // The previous test reloads the page: wait for the canvas's first paint at its final size (an
  // opaque canvas reads black until then) before reading pixels; a wrong colour still fails below.
  const painted = async (): Promise<boolean> => {
    const d = await look(empty);
    return `rgb(${d.pixel.join(', ')})` === d.emptyColour;
  };
  for (let i = 0; i < 50 && !(await painted()); i++) await session.page.waitForTimeout(100);
  const dim = await look(empty);
  const lit = await look(busy);
  assert.match(dim.className, /lane-empty/);
  assert.doesNotMatch(lit.className, /lane-empty/);
  assert.ok(dim.opacity < lit.opacity, `the empty lane's label is dimmer (opacity ${dim.opacity} vs ${lit.opacity})`);
  assert.equal(`rgb(${dim.pixel.join(', ')})`, dim.emptyColour, 'the empty row is painted in the empty-lane colour');
  assert.notEqual(`rgb(${lit.pixel.join(', ')})`, dim.emptyColour);
});

test('B bookmarks the time under the pointer; the list jumps to it and removes it', { skip }, async () => {
  const box = (await canvas().boundingBox())!;
  const before = await visibleWindow(session.page);
  const x = box.width * 0.25;
  await session.page.mouse.move(box.x + x, box.y + box.height - 5);
  await session.page.keyboard.press('b');
  const list = session.page.getByRole('button', { name: 'Bookmarks (1)' });
  await list.waitFor();
  await list.click();
  const item = session.page.getByRole('list', { name: 'Bookmarks' }).locator('li');
  const t = Number(await item.getAttribute('data-t'));
  const expected = before.t0 + (x / box.width) * (before.t1 - before.t0);
  assert.ok(Math.abs(t - expected) <= (before.t1 - before.t0) / box.width, `bookmark at ${t}, pointer at ${expected}`);
  await session.page.screenshot({ path: join(screenshotsDir, 'bookmarks.png'), clip: { x: 0, y: 0, width: 1400, height: 480 } });
  // Zoom in far on the other end, then jump back: the window is centred on the bookmark.
  await session.page.locator('body').press('d');
  for (let i = 0; i < 6; i++) await session.page.locator('body').press('w');
  await item.getByRole('button', { name: /^Bookmark 1/ }).click();
  await session.page.waitForFunction((at) => {
    const c = document.querySelector('canvas.timeline-canvas')!;
    const t0 = Number(c.getAttribute('data-t0'));
    const t1 = Number(c.getAttribute('data-t1'));
    return Math.abs((t0 + t1) / 2 - at) < (t1 - t0) * 1e-6;
  }, t);
  await session.page.getByRole('button', { name: 'Remove Bookmark 1' }).click();
  await session.page.getByRole('button', { name: 'Bookmarks (0)' }).waitFor();
});

test('a row selected in the table is marked on the timeline, which moves to it', { skip }, async () => {
  await session.page.locator('body').press('Escape');
  // Zoom into the start of the trace, then pick a row near its end.
  for (let i = 0; i < 10; i++) await session.page.locator('body').press('w');
  const lastRow = session.engine.page({ offset: session.engine.store.rowCount - 1, limit: 1, columns: [] }).rows[0]!;
  const place = session.engine.rowPlace({ row: lastRow });
  const shown = await visibleWindow(session.page);
  assert.ok(place.t >= shown.t1 || place.t < shown.t0, 'the row starts outside the window');
  await session.page.locator('.table-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await session.page.locator(`[role=grid] [role=row][data-row="${lastRow}"]`).click();
  await session.page.waitForFunction((t) => document.querySelector('canvas.timeline-canvas')?.getAttribute('data-selected-t') === String(t), place.t);
  const moved = await visibleWindow(session.page);
  assert.ok(place.t >= moved.t0 && place.t < moved.t1, 'the window moved to the selected row');
  assert.equal(await canvas().getAttribute('data-selected-lane'), `lane:${place.lane}`);
});

test('a click on a glyph selects its row in the table', { skip }, async () => {
  // Show the whole trace, then click where the engine says a row of the busiest lane is drawn.
  for (let i = 0; i < 12; i++) await session.page.locator('body').press('s');
  const lane = busiestLane();
  const win = await visibleWindow(session.page);
  const box = (await canvas().boundingBox())!;
  const rows = session.engine.page({ offset: 0, limit: 10000, columns: [] }).rows;
  const target = Array.from(rows).map((row) => session.engine.rowPlace({ row })).find((p) => p.lane === lane && p.t > win.t0 && p.t < win.t1)!;
  const x = ((target.t - win.t0) / (win.t1 - win.t0)) * box.width;
  const laneBox = (await session.page.getByRole('group', { name: laneName(lane), exact: true }).boundingBox())!;
  await session.page.mouse.click(box.x + x, laneBox.y + laneBox.height / 2);
  const clickedT = win.t0 + (x / box.width) * (win.t1 - win.t0);
  const expected = session.engine.pick({ t: clickedT, slop: (4 * (win.t1 - win.t0)) / box.width, lane })!;
  assert.ok(expected, 'the session.engine finds a row there');
  const selected = session.page.locator('[role=grid] [role=row][aria-selected="true"]');
  await selected.waitFor();
  const row = Number(await selected.getAttribute('data-row'));
  assert.equal(session.engine.rowPlace({ row }).lane, lane);
  assert.ok(Math.abs(session.engine.rowPlace({ row }).t - expected.t) <= (2 * (win.t1 - win.t0)) / box.width, 'the row drawn under the pointer');
  await session.page.getByRole('complementary', { name: 'Event details' }).getByRole('heading').waitFor();
  await session.page.screenshot({ path: join(screenshotsDir, 'selection-sync.png') });
});

test('from the keyboard: focus the canvas, zoom, Enter selects the visible window for the table', { skip }, async () => {
  await canvas().focus();
  for (let i = 0; i < 3; i++) await session.page.keyboard.press('w');
  await session.page.keyboard.press('Enter');
  const status = session.page.locator('.table-status[data-range-t0]');
  await status.waitFor();
  const range = { t0: Number(await status.getAttribute('data-range-t0')), t1: Number(await status.getAttribute('data-range-t1')) };
  const shown = await visibleWindow(session.page);
  assert.deepEqual(range, shown);
  const expected = session.engine.page({ range, offset: 0, limit: 0, columns: [] }).total;
  await session.page.waitForSelector(`.table-status[data-total="${expected}"]`);
  await session.page.keyboard.press('Escape');
  await session.page.waitForSelector(`.table-status[data-total="${session.engine.store.rowCount}"]`);
});

test('panning ends live follow; Follow newest brings the newest events back into view', { skip }, async () => {
  const follow = session.page.getByRole('button', { name: 'Follow newest' });
  await session.page.locator('body').press('a');
  assert.equal(await follow.getAttribute('aria-pressed'), 'false');
  for (let i = 0; i < 4; i++) await session.page.locator('body').press('w');
  await follow.click();
  assert.equal(await follow.getAttribute('aria-pressed'), 'true');
  const { lastTs } = session.engine.timeRange({ t0: 0, t1: 0 });
  const shown = await visibleWindow(session.page);
  assert.ok(shown.t0 < lastTs && shown.t1 > lastTs && shown.t1 - lastTs < (shown.t1 - shown.t0) * 0.05, `window ${shown.t0}…${shown.t1} ends at the newest event ${lastTs}`);
});
