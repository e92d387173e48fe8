/**
 * The Flows view in Debian's Chromium through `wireview serve` (root: the trace is recorded here,
 * by `wireview capture`, from real loopback traffic): one connection that sends 256 KiB and
 * closes with FIN/FIN, one refused by a closed port. The ladder of each shows the arrows the
 * engine derives (names checked word for word), an arrow click selects its event in the table
 * and a table row highlights its arrow, the diagnosis reads right, a chart exports as PNG and SVG.
 * Screenshots go to test/e2e/screenshots (flows-*.png), used by the README.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { Engine } from '../../renderer/engine/engine.js';
import type { FlowSummary, LadderItem } from '../../renderer/engine/flows/types.js';
import { handshakeText } from '../../renderer/ui/flows/diagnosis-text.js';
import { packetLabel, type PacketItem } from '../../renderer/ui/flows/ladder-labels.js';
import { captureSkipReason, freePort, withTimeout } from '../capture/live.js';
import { repoRoot } from '../paths.js';
import { e2eUnavailable, launchChromium, screenshotsDir, serve, type ServedHost } from './support.js';

const CLI = join(repoRoot, 'bin', 'wireview.js');
const skip = e2eUnavailable() || captureSkipReason() || undefined;
const dir = mkdtempSync(join(tmpdir(), 'wv-e2e-flows-'));
const TRACE = join(dir, 'flows.arrows');
const SENT = 256 * 1024;
let host: ServedHost;
let browser: Browser;
let page: Page;
let engine: Engine;
let ok: FlowSummary;
let refused: FlowSummary;
const problems: string[] = [];

/** Saves a screenshot of the page; with WIREVIEW_DOCS_SCREENSHOT set, also as docs/images/`name` (the README shows them). */
async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotsDir, name) });
  if (process.env.WIREVIEW_DOCS_SCREENSHOT) copyFileSync(join(screenshotsDir, name), join(repoRoot, 'docs', 'images', name));
}

/** Node code: serves `okPort`, sends SENT bytes to it and reads the answer, closes; then connects to the closed `closedPort`. */
function traffic(okPort: number, closedPort: number): string {
  return `
const net = require('node:net');
const server = net.createServer((s) => { let n = 0; s.on('data', (d) => { n += d.length; if (n >= ${SENT}) s.end('done'); }); });
server.listen(${okPort}, '127.0.0.1', () => {
  const c = net.connect(${okPort}, '127.0.0.1', () => c.end(Buffer.alloc(${SENT}, 97)));
  c.on('data', () => {});
  c.on('close', () => server.close(() => {
    const r = net.connect(${closedPort}, '127.0.0.1');
    r.on('error', (e) => { process.stdout.write(e.code); process.exit(0); });
  }));
});`;
}

/** Runs `traffic` in a child process; resolves once it has exited (the refused connect seen). */
async function runTraffic(okPort: number, closedPort: number): Promise<void> {
  const child = spawn(process.execPath, ['-e', traffic(okPort, closedPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
  assert.equal(out, 'ECONNREFUSED');
}

/** Records the two connections with `wireview capture`, narrowed to their ports. */
async function recordTrace(okPort: number, closedPort: number): Promise<void> {
  const args = ['capture', '-o', TRACE, '--priority', 'VERBOSE', '--filter', `net.port = ${okPort} or net.port = ${closedPort}`];
  const capture = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => capture.on('exit', resolve));
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      capture.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('capturing to')) resolve();
      });
      void exited.then((code) => reject(new Error(`capture exited early (${code}): ${stderr}`)));
    }),
    15_000,
    'capture did not start',
  );
  await runTraffic(okPort, closedPort);
  await new Promise((resolve) => setTimeout(resolve, 300)); // softirq stragglers, the last batch
  capture.kill('SIGINT');
  assert.equal(await withTimeout(exited, 10_000, 'capture did not stop'), 0, stderr);
}

before(async () => {
  if (skip) return;
  const okPort = await freePort();
  let closedPort = await freePort();
  while (closedPort === okPort) closedPort = await freePort();
  await recordTrace(okPort, closedPort);
  engine = new Engine({ store: (await openTrace(TRACE)).store });
  const flows = engine.flows().flows;
  ok = flows.find((f) => f.server.port === okPort)!;
  refused = flows.find((f) => f.server.port === closedPort)!;
  assert.ok(ok && refused, `both connections are flows: ${JSON.stringify(flows.map((f) => f.server))}`);

  host = await serve(TRACE);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => problems.push(e.message));
  // CSP refusals (an inline style, an eval in echarts) are console errors
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(host.url);
  await page.waitForSelector(`[role=status][data-total="${engine.store.rowCount}"]`, { timeout: 15_000 });
  await page.getByRole('tab', { name: 'Flows' }).click();
  await page.waitForSelector(`.flow-list [role=status][data-total="${flows.length}"]`);
});
after(async () => {
  await browser?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const packets = (items: readonly LadderItem[]): PacketItem[] => items.filter((i): i is PacketItem => i.kind === 'packet');

/** Shows flow `flow` (a click on its row in the list) and waits for its ladder. */
async function openFlow(flow: FlowSummary): Promise<void> {
  await page.locator(`.flow-list [role=row][data-flow="${flow.id}"]`).click();
  await page.waitForSelector(`.ladder[aria-label*=":${flow.client.port} → "]`);
}

/** Accessible names of the arrows in the ladder (all of them: the ladder is scrolled through). */
async function shownArrows(): Promise<string[]> {
  const names = new Map<number, string>();
  const scroll = page.locator('.ladder-scroll');
  for (let top = 0; ; top += 200) {
    await scroll.evaluate((el, y) => el.scrollTo({ top: y }), top);
    await page.waitForTimeout(30);
    const rows = await page.locator('.ladder-packet').evaluateAll((gs) => gs.map((g) => [Number(g.getAttribute('data-row')), g.getAttribute('aria-label') ?? ''] as const));
    for (const [row, name] of rows) names.set(row, name);
    if (await scroll.evaluate((el, y) => el.scrollHeight - el.clientHeight <= y, top)) break;
  }
  await scroll.evaluate((el) => el.scrollTo({ top: 0 }));
  return [...names.entries()].sort((a, b) => a[0] - b[0]).map(([, name]) => name);
}

test('the refused connect: SYN → and RST, ACK ←, named; the diagnosis says refused by the server', { skip, timeout: 60_000 }, async () => {
  assert.equal(refused.handshake.status, 'refused');
  await openFlow(refused);
  const expected = packets(engine.flowLadder({ id: refused.id }).items);
  assert.deepEqual(
    expected.map((p) => `${p.flags.join(', ')} ${p.from}`),
    ['SYN client', 'RST, ACK server'],
  );
  const names = await shownArrows();
  assert.deepEqual(names, expected.map(packetLabel));
  assert.match(names[0]!, /^SYN client→server seq 0 len 0 win \d+, raw seq \d+,/);
  assert.match(names[1]!, /^RST, ACK server→client seq \d+ ack 1 len 0 win 0,/);
  const handshake = await page.locator('.flow-diagnosis [data-term=Handshake] dd').innerText();
  assert.equal(handshake, handshakeText(refused));
  assert.match(handshake, /^refused: RST by the server during the handshake.*, connect ECONNREFUSED$/);
  assert.ok(await page.locator('.ladder-call', { hasText: 'ECONNREFUSED' }).count(), 'the failed connect is a mark on the client lifeline');
  await screenshot('flows-refused.png');
});

test('the successful connection: SYN, SYN-ACK, ACK, data, FIN from both sides, every arrow named', { skip, timeout: 60_000 }, async () => {
  assert.equal(ok.handshake.status, 'established');
  assert.equal(ok.teardown.end, 'fin');
  await openFlow(ok);
  const expected = packets(engine.flowLadder({ id: ok.id }).items);
  const names = await shownArrows();
  assert.deepEqual(names, expected.map(packetLabel));
  const kinds = expected.map((p) => `${p.flags.join(', ')} ${p.from}`);
  assert.deepEqual(kinds.slice(0, 3), ['SYN client', 'SYN, ACK server', 'ACK client']);
  assert.match(names[1]!, /^SYN, ACK server→client seq 0 ack 1 len 0 /);
  assert.match(names[2]!, /^ACK client→server seq 1 ack 1 len 0 /);
  const dataToServer = expected.filter((p) => p.from === 'client' && p.len > 0 && !p.retransmission).reduce((n, p) => n + p.len, 0);
  assert.equal(dataToServer, SENT, 'the data arrows carry the 256 KiB');
  assert.ok(kinds.some((k) => k.startsWith('FIN') && k.endsWith('client')) && kinds.some((k) => k.startsWith('FIN') && k.endsWith('server')), kinds.join('; '));
  assert.match(await page.locator('.flow-diagnosis').innerText(), /established in [\d.]+ (µs|ns|ms) \(SYN→SYN-ACK/);
  assert.ok(await page.locator('.ladder-state').count(), 'kernel state changes on the lifelines');
  await screenshot('flows-ladder.png');
});

/** Scrolls the event table to global row `row` (its place in the table's time order) and returns its element. */
async function showTableRow(row: number): Promise<ReturnType<Page['locator']>> {
  const index = Array.from(engine.page({ offset: 0, limit: engine.store.rowCount, columns: [] }).rows).indexOf(row);
  assert.ok(index >= 0);
  await page.locator('[role=grid][aria-label=Events] .table-scroll').evaluate((el, y) => el.scrollTo({ top: y }), Math.max(0, index * 24 - 48));
  const element = page.locator(`[role=grid][aria-label=Events] [role=row][data-row="${row}"]`);
  await element.waitFor();
  return element;
}

test('an arrow click selects its event in the table; a table row highlights its arrow', { skip, timeout: 60_000 }, async () => {
  await openFlow(ok);
  const synAck = packets(engine.flowLadder({ id: ok.id }).items)[1]!;
  await page.locator(`.ladder-packet[data-row="${synAck.row}"]`).click();
  const tableRow = await showTableRow(synAck.row);
  assert.equal(await tableRow.getAttribute('aria-selected'), 'true');
  const details = engine.details({ row: synAck.row });
  await page.getByRole('complementary', { name: 'Event details' }).getByRole('heading', { name: new RegExp(`^${details.event.id.replace('.', '\\.')}`) }).waitFor();
  assert.equal(await page.locator(`.ladder-packet[data-row="${synAck.row}"]`).getAttribute('aria-pressed'), 'true');

  const ack = packets(engine.flowLadder({ id: ok.id }).items)[2]!;
  await (await showTableRow(ack.row)).click();
  await page.waitForSelector(`.ladder-packet[data-row="${ack.row}"][aria-pressed=true]`);
  assert.equal(await page.locator(`.ladder-packet[data-row="${synAck.row}"]`).getAttribute('aria-pressed'), 'false');

  // an event of the other flow selected in the table shows that flow
  await (await showTableRow(refused.firstRow)).click();
  await page.waitForSelector(`.flow-list [role=row][data-flow="${refused.id}"][aria-selected=true]`);
});

test('the list sorts by a header; the charts draw and export as PNG and SVG', { skip, timeout: 60_000 }, async () => {
  const sorted = engine.flows({ sort: { key: 'bytes_to_server', descending: true } }).flows.map((f) => String(f.id));
  const header = page.getByRole('columnheader', { name: /Bytes →/ });
  await header.getByRole('button').click();
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  await page.waitForFunction((ids) => [...document.querySelectorAll('.flow-list [role=row][data-flow]')].map((r) => r.getAttribute('data-flow')).join() === ids, sorted.join());

  await openFlow(ok);
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.waitForSelector(`.flow-chart-canvas[data-drawn="${ok.id}"] canvas`);
  assert.equal(await page.locator('.flow-chart canvas').count(), 4);
  const series = engine.flowSeries({ id: ok.id });
  assert.ok(series.seqToServer.t.length > 4, 'the Stevens graph has data segments');

  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Sequence numbers (Stevens) as PNG' }).click()]);
  assert.equal(png.suggestedFilename(), `flow-127.0.0.1_${ok.client.port}-127.0.0.1_${ok.server.port}-sequence.png`);
  const pngBytes = readFileSync((await png.path())!);
  assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(pngBytes.length > 5000, `${pngBytes.length} bytes of PNG`);

  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Throughput as SVG' }).click()]);
  const svgText = readFileSync((await svg.path())!, 'utf8');
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, /client → server/);
  assert.match(svgText, /<path d="M/);
  await screenshot('flows-charts.png');
  assert.deepEqual(problems, []);
});

test('during a live capture the list follows new connections and keeps the picked flow', { skip, timeout: 90_000 }, async () => {
  const live = await serve();
  const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await tab.goto(live.url);
    const [first, closed, second] = [await freePort(), await freePort(), await freePort()];
    const filter = tab.getByLabel('Filter', { exact: true });
    await filter.fill(`net.port = ${first} or net.port = ${closed} or net.port = ${second}`);
    await filter.press('Enter');
    await tab.getByRole('toolbar', { name: 'Capture' }).getByRole('button', { name: 'Start capture' }).click();
    await tab.waitForSelector('.capture-bar[data-state=running]', { timeout: 15_000 });
    await tab.waitForTimeout(300);
    await tab.getByRole('tab', { name: 'Flows' }).click();
    await runTraffic(first, closed);
    const picked = tab.locator('.flow-list [role=row][data-status=established]', { hasText: `:${first}` });
    await picked.waitFor({ timeout: 10_000 });
    await tab.locator('.flow-list [role=row][data-status=refused]').first().waitFor({ timeout: 10_000 });
    await picked.click();
    const client = (await picked.locator('[role=gridcell]').nth(1).innerText()).trim();
    await tab.waitForSelector(`.ladder[aria-label^="Ladder diagram of ${client} →"]`);

    await runTraffic(second, closed);
    await tab.waitForSelector('.flow-list [role=status][data-total="4"]', { timeout: 10_000 });
    await tab.locator('.flow-list [role=row][data-status=established]', { hasText: `:${second}` }).waitFor();
    // still the flow picked before the trace grew
    assert.equal((await tab.locator('.flow-list [role=row][aria-selected=true] [role=gridcell]').nth(1).innerText()).trim(), client);
    await tab.waitForSelector(`.ladder[aria-label^="Ladder diagram of ${client} →"]`);
    await tab.getByRole('toolbar', { name: 'Capture' }).getByRole('button', { name: 'Stop capture' }).click();
    await tab.waitForSelector('.capture-bar[data-state=stopped]', { timeout: 10_000 });
  } finally {
    await tab.close();
    await live.stop();
  }
});
