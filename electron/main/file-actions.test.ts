import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir } from '../../test/paths.js';
import { openTrace } from '../services/input-file.js';
import { exportFormatOf, exportTrace, saveTraceAs } from './file-actions.js';

const SOURCE = join(corpusDir, 'afs.pcap');

test('the export format follows the chosen name', () => {
  assert.equal(exportFormatOf('/a/b.PCAPNG'), 'pcapng');
  assert.equal(exportFormatOf('b.jsonl'), 'jsonl');
  assert.equal(exportFormatOf('b.csv'), 'csv');
  assert.equal(exportFormatOf('b.txt'), undefined);
  assert.equal(exportFormatOf('jsonl'), undefined);
});

test('Save As writes a native trace with every event; Export writes each format', { skip: !existsSync(SOURCE) && 'corpus missing' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wireview-save-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { store } = await openTrace(SOURCE);
  assert.ok(store.rowCount > 0);
  const saved = join(dir, 'afs.arrows');
  assert.equal(await saveTraceAs(SOURCE, saved), store.rowCount);
  const reopened = await openTrace(saved);
  assert.equal(reopened.kind, 'wireview');
  assert.equal(reopened.store.rowCount, store.rowCount);
  const jsonl = join(dir, 'afs.jsonl');
  assert.equal(await exportTrace(saved, jsonl, 'jsonl'), store.rowCount);
  assert.equal(readFileSync(jsonl, 'utf8').trimEnd().split('\n').length, store.rowCount);
  const pcapng = join(dir, 'afs.pcapng');
  await exportTrace(saved, pcapng, 'pcapng');
  assert.equal((await openTrace(pcapng)).kind, 'pcapng');
  assert.deepEqual(readdirSync(dir).sort(), ['afs.arrows', 'afs.jsonl', 'afs.pcapng'], 'no partial files left');
});

test('a source that will not open leaves no output behind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wireview-save-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(saveTraceAs(join(dir, 'missing.pcap'), join(dir, 'out.arrows')), /missing\.pcap: no such file/);
  await assert.rejects(exportTrace(join(dir, 'missing.pcap'), join(dir, 'out.csv'), 'csv'), /missing\.pcap/);
  assert.deepEqual(readdirSync(dir), []);
});
