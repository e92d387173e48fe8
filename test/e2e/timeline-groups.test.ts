/**
 * Lanes regrouped by process and by connection, and capture-loss marks, in Debian's Chromium
 * against `wireview serve`. The process/connection lanes of a seed CSV are the ones the engine
 * computes in Node. The loss trace is a real tcpdump capture with `capture.lost` records added at
 * known times (as a capture writes them: the event and how many records were lost), saved as a
 * native trace; each shows as a red band across the lanes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { Engine } from '../../renderer/engine/engine.js';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { eventIndex, laneName } from '../../renderer/engine/model/events.js';
import { GROUP_PROGRESS_MIN_ROWS } from '../../renderer/engine/query/lane-groups.js';
import { corpusDir, repoRoot } from '../paths.js';
import { e2eUnavailable, launchChromium, openApp, publishScreenshot, recordProgress, screenshotsDir, serve, visibleWindow, writeSyntheticTrace } from './support.js';

const CSV = join(repoRoot, 'test', 'fixtures', 'csv', 'network-sample.csv');
const PCAP = join(corpusDir, 'afs.pcap');
const skip = e2eUnavailable();
let browser: Browser;
let dir: string;
const errors: string[] = [];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'wireview-e2e-groups-'));
  browser = await launchChromium();
});
after(async () => {
  assert.deepEqual(errors, []);
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('lanes by process are the pids and commands of the trace; by connection, its connections', { skip }, async () => {
  const engine = new Engine({ store: (await openTrace(CSV)).store });
  const host = await serve(CSV);
  try {
    const page = await openApp(browser, host, engine.store.rowCount, errors);
    const lanes = (): Promise<[string, number][]> =>
      page.locator('.lane-labels [role=group]').evaluateAll((gs) => gs.map((g) => [g.getAttribute('aria-label')!, Number(g.querySelector('[data-count]')!.getAttribute('data-count'))]));
    const processes = engine.counts().byProcess.map((p) => [`${p.pid} ${p.comm}`.trim(), p.count] as [string, number]);
    assert.ok(processes.length >= 3, 'the fixture has several processes');
    await page.getByLabel('Lanes by').selectOption('process');
    await page.waitForFunction((n) => document.querySelectorAll('.lane-labels [role=group]').length === n, processes.length);
    assert.deepEqual(await lanes(), processes);
    await page.screenshot({ path: join(screenshotsDir, 'lanes-by-process.png'), clip: { x: 0, y: 0, width: 1400, height: 420 } });
    publishScreenshot('lanes-by-process.png', 'lanes-by-process.png');

    const connections = engine.groupLod({ groupBy: 'connection', t0: -1e15, t1: 1e15, width: 1 }).groups;
    await page.getByLabel('Lanes by').selectOption('connection');
    await page.waitForFunction((first) => document.querySelector('.lane-labels [role=group]')?.getAttribute('aria-label') === first, connections[0]!.label);
    assert.deepEqual(await lanes(), connections.map((g) => [g.label, g.count]));
    // A filter recounts the lanes.
    const input = page.getByLabel('Filter', { exact: true });
    await input.fill('net.proto = udp');
    await input.press('Enter');
    const udp = engine.groupLod({ groupBy: 'connection', t0: -1e15, t1: 1e15, width: 1, filter: 'net.proto = udp' }).groups;
    await page.waitForFunction((n) => document.querySelectorAll('.lane-labels [role=group]').length === n, udp.length);
    assert.deepEqual(await lanes(), udp.map((g) => [g.label, g.count]));
    await page.getByLabel('Lanes by').selectOption('class');
    await page.waitForFunction(() => document.querySelectorAll('.lane-labels [role=group]').length === 16);
    await page.close();
  } finally {
    await host.stop();
  }
});

test('capture.lost records show as red marks across the timeline at their times', { skip }, async () => {
  const store = (await openTrace(PCAP)).store;
  const engine = new Engine({ store });
  const { firstTs, lastTs } = engine.timeRange({ t0: 0, t1: 0 });
  const at = [0.3, 0.5, 0.8].map((f) => Math.round(firstTs + f * (lastTs - firstTs)));
  const b = store.builder(store.baseNs!, at.length);
  for (const [i, t] of at.entries()) b.col('lost').set(b.addRow(t, eventIndex('capture.lost')), 100 * (i + 1));
  store.append(b.finish()!);
  const file = join(dir, 'with-loss.arrows');
  const chunks: Uint8Array[] = [];
  const writer = new TraceWriter(store, (c) => chunks.push(c.slice()));
  for (const batch of store.batches) writer.writeBatch(batch);
  writer.end();
  writeFileSync(file, Buffer.concat(chunks));

  const host = await serve(file);
  try {
    const page = await openApp(browser, host, store.rowCount, errors);
    const canvas = page.locator('canvas.timeline-canvas');
    await page.waitForSelector('canvas.timeline-canvas[data-loss-marks="3"]');
    await page.locator('.legend-loss[data-lost-marks="3"]').waitFor();
    const alert = page.getByRole('group', { name: laneName(9), exact: true });
    assert.equal(await alert.locator('[data-count]').getAttribute('data-count'), '3');
    // The pixels at each mark's time are red in an otherwise empty lane.
    const win = await visibleWindow(page);
    const box = (await canvas.boundingBox())!;
    const empty = (await page.getByRole('group', { name: laneName(0), exact: true }).boundingBox())!;
    const y = empty.y + empty.height / 2 - box.y;
    const pixel = (x: number): Promise<number[]> =>
      canvas.evaluate((c: HTMLCanvasElement, [px, py]) => {
        const dpr = c.width / c.getBoundingClientRect().width;
        return Array.from(c.getContext('2d')!.getImageData(Math.round(px! * dpr), Math.round(py! * dpr), 1, 1).data);
      }, [x, y]);
    for (const t of at) {
      const [r, g, bl] = await pixel(((t - win.t0) / (win.t1 - win.t0)) * box.width);
      assert.ok(r! > g! + 40 && r! > bl! + 40, `red at the mark (rgb ${r},${g},${bl})`);
    }
    const [r, g, bl] = await pixel(((at[0]! + at[1]!) / 2 - win.t0) / (win.t1 - win.t0) * box.width);
    assert.ok(Math.abs(r! - g!) < 30 && Math.abs(r! - bl!) < 30, `no red between marks (rgb ${r},${g},${bl})`);
    await page.screenshot({ path: join(screenshotsDir, 'loss-marks.png'), clip: { x: 0, y: 0, width: 1400, height: 480 } });
    publishScreenshot('loss-marks.png', 'timeline.png');
    await page.close();
  } finally {
    await host.stop();
  }
});

test('the first regroup of a big trace shows its progress, then the lanes; the next one is at once', { skip, timeout: 120_000 }, async () => {
  const path = join(dir, 'big.arrows');
  const rows = GROUP_PROGRESS_MIN_ROWS * 2;
  writeSyntheticTrace(path, rows, 4);
  const host = await serve(path);
  try {
    const page = await openApp(browser, host, rows, errors);
    const bar = await recordProgress(page, 'progress[aria-label="Grouping lanes by connection"]');
    await page.getByLabel('Lanes by').selectOption('connection');
    await page.waitForFunction(() => document.querySelector('.lane-labels [role=group]')?.getAttribute('aria-label')?.includes('↔'));
    await page.waitForSelector('progress[aria-label="Grouping lanes by connection"]', { state: 'detached' });
    const seen = await bar.read();
    assert.ok(seen.length >= 1, 'the progress bar was shown');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, 'it only goes up');
    // Back to classes and again to connections: the engine kept the assignment, no progress.
    await page.getByLabel('Lanes by').selectOption('class');
    await page.getByRole('group', { name: laneName(0), exact: true }).waitFor();
    const before = seen.length;
    await page.getByLabel('Lanes by').selectOption('connection');
    await page.waitForFunction(() => document.querySelector('.lane-labels [role=group]')?.getAttribute('aria-label')?.includes('↔'));
    assert.equal((await bar.read()).length, before);
    await page.close();
  } finally {
    await host.stop();
  }
});
