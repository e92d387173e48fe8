/**
 * The capture UI and the welcome screen in Debian's Chromium through `wireview serve`:
 * - welcome → Open sample: the sample trace shipped with the app fills the lanes with its counts;
 * - the options dialog: chosen options persist across a reload, and the filter that reaches the
 *   host (the capture.start request, and the filter the host reports it applied) is the one chosen;
 * - as root, a real capture with those options keeps exactly the chosen ports and class, and
 *   pause/resume leave out the traffic of the pause and mark the gap (a capture.lost row, source
 *   `pause`).
 * Screenshots of the welcome screen and the capture dialog go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_TRACE } from '../../electron/host/sample.js';
import { laneName, LANE_COUNT } from '../../renderer/engine/model/events.js';
import { laneCounts } from '../../renderer/ui/timeline/lane-counts.js';
import { repoRoot } from '../paths.js';
import { e2eUnavailable, launchChromium, loopbackConnection, screenshotsDir, serve, type ServedHost } from './support.js';

const skip = e2eUnavailable();
const skipLive = skip ?? (process.getuid?.() === 0 ? undefined : 'live capture needs root (run the e2e tests with sudo)');
let host: ServedHost;
let browser: Browser;
let page: Page;
const sent: unknown[] = [];
const received: unknown[] = [];

before(async () => {
  if (skip) return;
  host = await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => sent.push(JSON.parse(String(payload))));
    ws.on('framereceived', ({ payload }) => received.push(JSON.parse(String(payload))));
  });
  await page.goto(host.url);
  await page.getByRole('region', { name: 'Welcome' }).waitFor();
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

/** With WIREVIEW_DOCS_SCREENSHOT=1, a screenshot also refreshes its copy in docs/images/ (README, docs/app.md). */
function docsImage(name: string): void {
  if (process.env.WIREVIEW_DOCS_SCREENSHOT) copyFileSync(join(screenshotsDir, name), join(repoRoot, 'docs', 'images', name));
}

const bar = () => page.getByRole('toolbar', { name: 'Capture' });
const dialog = () => page.getByRole('dialog', { name: 'Capture options' });

async function shownLaneCounts(): Promise<number[]> {
  const out: number[] = [];
  for (let lane = 0; lane < LANE_COUNT; lane++) out.push(Number(await page.getByRole('group', { name: laneName(lane), exact: true }).locator('[data-count]').getAttribute('data-count')));
  return out;
}

/** Applies a filter expression and returns the events it keeps (the sum of the lanes). */
async function countWith(expression: string): Promise<number> {
  const input = page.getByLabel('Filter', { exact: true });
  await input.fill(expression);
  await input.press('Enter');
  await page.waitForTimeout(300);
  return (await shownLaneCounts()).reduce((a, b) => a + b, 0);
}

test('welcome → Open sample: the sample trace shipped with the app fills the lanes', { skip, timeout: 60_000 }, async () => {
  const welcome = page.getByRole('region', { name: 'Welcome' });
  for (const name of ['Start capture', 'Open file…', 'Open sample']) await welcome.getByRole('button', { name }).waitFor();
  await page.screenshot({ path: join(screenshotsDir, 'welcome.png') });
  docsImage('welcome.png');

  const info = JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'bin', 'wireview.js'), 'info', '--json', SAMPLE_TRACE], { encoding: 'utf8' })) as { events: number; by_event: Record<string, number> };
  await welcome.getByRole('button', { name: 'Open sample' }).click();
  await page.waitForSelector(`[role=status][data-total="${info.events}"]`, { timeout: 15_000 });
  assert.deepEqual(await shownLaneCounts(), laneCounts(info.by_event));
  assert.equal(await welcome.count(), 0, 'the welcome screen gives way to the trace');
  assert.equal(await countWith("evt.name = sock.connect_error and net.dport = 8082"), 1, 'the timed-out connect is in the table');
  await countWith('');
});

test('Save in the browser host: the open trace downloads as the CLI would export it', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wireview-save-'));
  try {
    for (const format of ['pcapng', 'jsonl']) {
      const save = page.getByRole('toolbar', { name: 'Save' });
      await save.getByLabel('Save as').selectOption(format);
      const [download] = await Promise.all([page.waitForEvent('download'), save.getByRole('button', { name: 'Save…' }).click()]);
      assert.equal(download.suggestedFilename(), `wireview-sample.${format}`);
      const saved = join(dir, download.suggestedFilename());
      await download.saveAs(saved);
      const cli = join(dir, `cli.${format}`);
      execFileSync(process.execPath, [join(repoRoot, 'bin', 'wireview.js'), 'export', SAMPLE_TRACE, '--format', format, '-o', cli]);
      assert.ok(readFileSync(saved).equals(readFileSync(cli)), `the ${format} download equals \`wireview export --format ${format}\``);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('options chosen in the dialog persist and are the filter that reaches the host', { skip, timeout: 60_000 }, async () => {
  await bar().getByRole('button', { name: 'Options…' }).click();
  await dialog().waitFor();
  await dialog().getByRole('checkbox', { name: 'aux', exact: true }).uncheck();
  await dialog().getByLabel('Priority level').selectOption({ label: 'VERBOSE and above' });
  await dialog().getByRole('checkbox', { name: /^tcp\.probe/ }).uncheck();
  await dialog().getByRole('button', { name: 'Add port filter' }).click();
  await dialog().getByRole('button', { name: 'Add port filter' }).click();
  await dialog().getByLabel('Port filter 2 type').selectOption('src');
  await dialog().getByLabel('Port filter 1 port', { exact: true }).fill('443');
  await dialog().getByLabel('Port filter 2 port', { exact: true }).fill('443');
  await page.screenshot({ path: join(screenshotsDir, 'capture-dialog.png') });
  docsImage('capture-dialog.png');
  await dialog().getByLabel('Port filter 1 port', { exact: true }).fill('70000');
  await dialog().getByRole('button', { name: 'Save', exact: true }).click();
  await dialog().getByRole('alert').filter({ hasText: 'Port filter 1: expected a port number (0–65535), got "70000"' }).waitFor();
  await dialog().getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await dialog().isVisible(), false);

  // Reopened: the mistake was not saved; fix it and save, then reload: the options are still there.
  await bar().getByRole('button', { name: 'Options…' }).click();
  assert.equal(await dialog().getByRole('checkbox', { name: 'aux', exact: true }).isChecked(), true, 'Cancel kept the saved options');
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'hidden' });
});

test('as root: a capture with the chosen options keeps exactly those events; pause leaves a marked gap', { skip: skipLive, timeout: 120_000 }, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const other = port + 10;
  await bar().getByRole('button', { name: 'Options…' }).click();
  await dialog().getByRole('checkbox', { name: 'aux', exact: true }).uncheck();
  await dialog().getByLabel('Priority level').selectOption({ label: 'VERBOSE and above' });
  await dialog().getByRole('checkbox', { name: /^tcp\.probe/ }).uncheck();
  for (const [i, type] of [[1, 'dst'], [2, 'src']] as const) {
    await dialog().getByRole('button', { name: 'Add port filter' }).click();
    await dialog().getByLabel(`Port filter ${i} type`).selectOption(type);
    await dialog().getByLabel(`Port filter ${i} port`, { exact: true }).fill(String(port));
    await dialog().getByLabel(`Port filter ${i} last port (optional)`).fill(String(port + 2));
  }
  await dialog().getByLabel('Commands').fill('node');
  await dialog().getByRole('button', { name: 'Save', exact: true }).click();
  await dialog().waitFor({ state: 'hidden' });

  const chosen = {
    classes: ['core'],
    priority: 8,
    enable: [],
    disable: ['tcp.probe'],
    addrs: [],
    ports: [
      { type: 'dst', direction: 'both', from: port, to: port + 2 },
      { type: 'src', direction: 'both', from: port, to: port + 2 },
    ],
    pids: [],
    comms: ['node'],
  };
  await page.reload();
  // Request ids start again with the new page: only its messages count.
  sent.length = 0;
  received.length = 0;
  await bar().getByRole('button', { name: 'Options…' }).click();
  assert.equal(await dialog().getByRole('checkbox', { name: 'aux', exact: true }).isChecked(), false, 'the options persist across a reload');
  assert.equal(await dialog().getByLabel('Port filter 2 type').inputValue(), 'src');
  await dialog().getByRole('button', { name: 'Save and start' }).click();
  await page.waitForSelector('.capture-bar[data-state=running]', { timeout: 15_000 });

  const start = sent.find((m) => (m as { channel?: string }).channel === 'capture.start') as { id: number; arg: { filter: unknown } };
  assert.deepEqual(start.arg.filter, chosen, 'the page sends the chosen options');
  const reply = received.find((m) => (m as { id?: number }).id === start.id) as { result: { state: string; filter: unknown } };
  assert.deepEqual(reply.result.filter, chosen, 'the host applies them as they were chosen');
  assert.equal(reply.result.state, 'running');
  await page.waitForTimeout(300);

  await loopbackConnection(port);
  await loopbackConnection(other);
  const row = (p: number) => page.locator('[role=grid] .table-scroll [role=row][data-row]', { hasText: String(p) }).first();
  await row(port).waitFor({ timeout: 5000 });

  await bar().getByRole('button', { name: 'Pause' }).click();
  await page.waitForSelector('.capture-bar[data-state=paused]', { timeout: 5000 });
  await loopbackConnection(port + 1);
  await page.waitForTimeout(300);
  await bar().getByRole('button', { name: 'Resume' }).click();
  await page.waitForSelector('.capture-bar[data-state=running]', { timeout: 5000 });
  await loopbackConnection(port + 2);
  await row(port + 2).waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(screenshotsDir, 'capture-running.png') });

  await bar().getByRole('button', { name: 'Stop capture' }).click();
  await page.waitForSelector('.capture-bar[data-state=stopped]', { timeout: 10_000 });
  await page.waitForTimeout(500);
  assert.ok((await countWith(`net.port = ${port}`)) > 0, 'the chosen port is captured');
  assert.ok((await countWith(`net.port = ${port + 2}`)) > 0, 'and again after the pause');
  assert.equal(await countWith(`net.port = ${other}`), 0, 'a port outside the filter is not');
  assert.equal(await countWith(`net.port = ${port + 1}`), 0, 'nothing while paused');
  assert.equal(await countWith(`evt.class = aux and evt.name != capture.lost`), 0, 'the aux class was left out');
  assert.equal(await countWith(`ps.comm != node and evt.name != capture.lost`), 0, 'only the chosen command');
  assert.equal(await countWith(`evt.name = capture.lost and evt.source = pause`), 1, 'the pause is marked as a gap');
  await countWith('');
});
