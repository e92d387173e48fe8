/**
 * The table stays virtualized on a 1M-event trace: scrolling from the top to the very end keeps
 * fewer than 100 row elements in the DOM, and the last row shown is the trace's last event.
 * The trace is a generated 1M-packet pcap (one event per packet), written to a temporary file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { makePcap } from '../support/make-pcap.js';
import { e2eUnavailable, launchChromium, screenshotsDir, serve, type ServedHost } from './support.js';

const PACKETS = 1_000_000;
const skip = e2eUnavailable();
let dir: string;
let host: ServedHost;
let browser: Browser;
let page: Page;
let rowCount: number;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'wireview-e2e-'));
  const file = join(dir, 'million.pcap');
  writeFileSync(file, makePcap(PACKETS));
  rowCount = (await openTrace(file)).store.rowCount;
  host = await serve(file);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(host.url);
  await page.waitForSelector(`[role=status][data-total="${rowCount}"]`, { timeout: 60_000 });
});
after(async () => {
  await browser?.close();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rowElements = (p: Page): Promise<number[]> =>
  p.locator('[role=grid] .table-scroll [role=row][data-row]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-row'))));

test('a 1M-event trace keeps under 100 row elements in the DOM while scrolling to the end', { skip, timeout: 120_000 }, async () => {
  assert.ok(rowCount >= PACKETS, `the trace holds ${rowCount} events`);
  await page.waitForSelector('[role=grid] [role=row][data-row="0"]');
  const scroller = page.locator('.table-scroll');
  const height = await scroller.evaluate((el) => el.scrollHeight);
  assert.ok(height > 1_000_000, `the scroll area spans all rows (${height} px)`);
  // Scroll in big steps through the whole table, checking the DOM stays small at each stop.
  const steps = 20;
  let maxRows = 0;
  for (let i = 1; i <= steps; i++) {
    await scroller.evaluate((el, f) => el.scrollTo({ top: f * el.scrollHeight }), i / steps);
    // Rows appear once the engine's page for this position has arrived.
    await page.waitForFunction(() => document.querySelectorAll('.table-scroll [role=row][data-row]').length > 0, undefined, { timeout: 5000 });
    const rows = await rowElements(page);
    maxRows = Math.max(maxRows, rows.length);
  }
  await page.waitForSelector(`[role=grid] [role=row][data-row="${rowCount - 1}"]`, { timeout: 10_000 });
  const rows = await rowElements(page);
  assert.ok(maxRows < 100, `${maxRows} row elements in the DOM at most`);
  assert.ok(rows.length < 100, `${rows.length} row elements in the DOM at the end`);
  assert.equal(Math.max(...rows), rowCount - 1, 'the last row shown is the last event');
  const last = page.locator(`[role=grid] [role=row][data-row="${rowCount - 1}"]`);
  const lastBox = (await last.boundingBox())!;
  const scrollBox = (await scroller.boundingBox())!;
  const visible = lastBox.y >= scrollBox.y && lastBox.y + lastBox.height / 2 <= scrollBox.y + scrollBox.height;
  assert.ok(visible, `the last row is in the visible area (row at ${lastBox.y}, area ${scrollBox.y}..${scrollBox.y + scrollBox.height})`);
  await page.screenshot({ path: join(screenshotsDir, 'million-table-end.png') });
});
