/**
 * Live capture through the browser host (root only): Start capture in the page, make a loopback
 * TCP connection from a child process, and its events appear in the table within 1 s of the
 * connection; Stop ends the capture with the events kept.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { e2eUnavailable, launchChromium, loopbackConnection, screenshotsDir, serve, visibleWindow, type ServedHost } from './support.js';

const skip = e2eUnavailable() ?? (process.getuid?.() === 0 ? undefined : 'live capture needs root (run the e2e tests with sudo)');
let host: ServedHost;
let browser: Browser;
let page: Page;
/** The header's capture toolbar (the welcome screen has a Start capture button too). */
const bar = () => page.getByRole('toolbar', { name: 'Capture' });

before(async () => {
  if (skip) return;
  host = await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(host.url);
  await bar().getByRole('button', { name: 'Start capture' }).waitFor();
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

test('a loopback connection made during a live capture shows in the table within 1 s', { skip, timeout: 60_000 }, async (t) => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const filter = page.getByLabel('Filter', { exact: true });
  await filter.fill(`net.dport = ${port} or net.sport = ${port}`);
  await filter.press('Enter');
  await bar().getByRole('button', { name: 'Start capture' }).click();
  await page.waitForSelector('.capture-bar[data-state=running]', { timeout: 15_000 });
  // Let the page pick up the capture's first bytes (its metadata) before the traffic starts.
  await page.waitForTimeout(300);

  await loopbackConnection(port);
  const connectedAt = Date.now();
  const row = page.locator('[role=grid] .table-scroll [role=row][data-row]', { hasText: String(port) }).first();
  await row.waitFor({ timeout: 5000 });
  const latency = Date.now() - connectedAt;
  t.diagnostic(`first event in the table ${latency} ms after the connection`);
  assert.ok(latency <= 1000, `the connection's first event showed ${latency} ms after it was made`);
  assert.ok(Number(await page.locator('.capture-records').getAttribute('data-records')) > 0, 'the record count grows');
  // Live follow kept the new event in view: selecting its row does not have to move the window.
  const follow = page.getByRole('button', { name: 'Follow newest' });
  assert.equal(await follow.getAttribute('aria-pressed'), 'true');
  await row.click();
  await page.waitForFunction(() => document.querySelector('canvas.timeline-canvas')?.getAttribute('data-selected-t'));
  const at = Number(await page.locator('canvas.timeline-canvas').getAttribute('data-selected-t'));
  const shown = await visibleWindow(page);
  assert.ok(at >= shown.t0 && at < shown.t1, `the event at ${at} is in the window ${shown.t0}…${shown.t1}`);
  assert.equal(await follow.getAttribute('aria-pressed'), 'true', 'still following');
  await page.screenshot({ path: join(screenshotsDir, 'live-capture.png') });

  await bar().getByRole('button', { name: 'Stop capture' }).click();
  await page.waitForSelector('.capture-bar[data-state=stopped]', { timeout: 10_000 });
  await bar().getByRole('button', { name: 'Start capture' }).waitFor();
  await row.waitFor({ timeout: 5000 });
});
