/**
 * Electron's File ▸ Save As… / Export… without Electron's binary: main's runFileAction writes a
 * real multi-MiB trace into the chosen file with `file.progress` events (each valid against the
 * event schema the preload checks, going up, ending done), the bytes equal what the browser
 * host's /export route (serveExport, the same conversion) sends, and a failure is one line with
 * nothing left at the target.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveExport } from '../../electron/host/host-export.js';
import { IPC_EVENTS } from '../../electron/ipc/events.js';
import { runFileAction, type FileProgressEvent } from '../../electron/main/file-progress.js';
import { writeSyntheticTrace } from '../e2e/support.js';

let dir: string;
let source: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wireview-electron-save-'));
  source = join(dir, 'big.arrows');
  writeSyntheticTrace(source, 200_000, 9);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A clock that moves 1 s per look: every step of the conversion may report. */
function steppingClock(): () => number {
  let t = 0;
  return () => (t += 1000);
}

/** What the browser host's Save (GET /export) sends for `source` as `format`. */
async function hostExport(format: string): Promise<Buffer> {
  const answer = await serveExport(new URLSearchParams({ source: 'file', format }), { file: source, capture: { tracePath: undefined, status: () => ({ state: 'idle' }) as never } });
  assert.ok('write' in answer, JSON.stringify(answer));
  const parts: Uint8Array[] = [];
  await answer.write((chunk) => parts.push(chunk.slice()));
  return Buffer.concat(parts);
}

function checkEvents(events: FileProgressEvent[], action: string, name: string): void {
  for (const e of events) assert.equal(IPC_EVENTS['file.progress'].check(e, 'file.progress'), undefined, JSON.stringify(e));
  assert.deepEqual(events[0], { action, name, percent: 0, done: false });
  assert.deepEqual(events.at(-1), { action, name, percent: 100, done: true });
  assert.ok(events.length >= 4, `progress steps: ${events.map((e) => e.percent).join(', ')}`);
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.percent >= events[i - 1]!.percent, 'percent only goes up');
  assert.ok(events.slice(0, -1).every((e) => !e.done));
}

for (const [action, format, file] of [
  ['save', 'arrows', 'saved.arrows'],
  ['export', 'pcapng', 'exported.pcapng'],
  ['export', 'jsonl', 'exported.jsonl'],
] as const) {
  test(`${action} as ${format}: progress events, then the same bytes as the browser host's Save`, { timeout: 120_000 }, async () => {
    const events: FileProgressEvent[] = [];
    const failures: string[] = [];
    const target = join(dir, file);
    const count = await runFileAction(action, source, target, format, (e) => events.push(e), (m) => failures.push(m), steppingClock());
    assert.deepEqual(failures, []);
    assert.equal(count, 200_000);
    checkEvents(events, action, file);
    assert.ok(readFileSync(target).equals(await hostExport(format)), `the ${format} file equals the browser host's download`);
  });
}

test('a failure: one line naming the action, the last event done, nothing left at the target', async () => {
  const events: FileProgressEvent[] = [];
  const failures: string[] = [];
  const target = join(dir, 'out', 'never.arrows');
  const bad = join(dir, 'not-a-trace.arrows');
  mkdirSync(join(dir, 'out'));
  writeFileSync(bad, 'plain text\n'.repeat(1000));
  assert.equal(await runFileAction('save', bad, target, 'arrows', (e) => events.push(e), (m) => failures.push(m), steppingClock()), null);
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /^Save As: .*not-a-trace\.arrows.*not a WireView trace, pcap, pcapng or seed CSV file/);
  assert.doesNotMatch(failures[0]!, /\n/);
  assert.equal(events.at(-1)?.done, true);
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(join(dir, 'out')), [], 'no temporary file is left either');
});
