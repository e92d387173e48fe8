import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_RECENT, RecentFiles } from './recent-files.js';

function scratch(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wireview-recent-'));
  return { path: join(dir, 'sub', 'recent-files.json'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('newest first, no duplicates, at most MAX_RECENT, kept across runs', (t) => {
  const { path, done } = scratch();
  t.after(done);
  const recent = new RecentFiles(path);
  for (let i = 0; i < MAX_RECENT + 3; i++) recent.add(`/t/${i}.pcap`);
  recent.add('/t/5.pcap');
  const again = new RecentFiles(path);
  assert.equal(again.list().length, MAX_RECENT);
  assert.equal(again.list()[0], '/t/5.pcap');
  assert.equal(again.list()[1], `/t/${MAX_RECENT + 2}.pcap`);
  assert.equal(again.list().filter((p) => p === '/t/5.pcap').length, 1);
  assert.equal(again.has('/t/0.pcap'), false);
  again.remove('/t/5.pcap');
  again.clear();
  assert.deepEqual(new RecentFiles(path).list(), []);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { files: [] });
});

test('a damaged or foreign list starts empty instead of failing', (t) => {
  const { path, done } = scratch();
  t.after(done);
  new RecentFiles(path).add('/t/a.pcap');
  for (const content of ['{', '[]', '{"files": [1, 2]}', '{"files": ["/a"], "extra": true}', JSON.stringify({ files: ['x'.repeat(5000)] })]) {
    writeFileSync(path, content);
    assert.deepEqual(new RecentFiles(path).list(), [], content.slice(0, 40));
  }
});
