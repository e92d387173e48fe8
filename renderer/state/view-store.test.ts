import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFilterHistory, HISTORY_SIZE } from './filter-history.js';
import type { KeyValueStorage } from './persisted.js';
import { DEFAULT_COLUMNS } from './table-columns.js';
import { COLLAPSED_KEPT, createViewStore, currentBookmarks, type OpenTrace } from './view-store.js';

/** An in-memory key-value storage with localStorage's string semantics. */
function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, String(v)) };
}

const trace = (rows: number, lastTs: number, name = 'a.pcap'): OpenTrace => ({ name, rowCount: rows, baseNs: 5n, wallOffsetNs: 0n, firstTs: 0, lastTs });

test('chosen columns persist and stay in table order; time and event cannot be hidden', () => {
  const storage = memoryStorage();
  const view = createViewStore('light', storage);
  assert.deepEqual(view.getState().columns, DEFAULT_COLUMNS);
  view.getState().toggleColumn('pid');
  view.getState().toggleColumn('latency_ns');
  view.getState().toggleColumn('time');
  view.getState().toggleColumn('no_such_field');
  const shown = view.getState().columns;
  assert.ok(!shown.includes('pid') && shown.includes('latency_ns') && shown.includes('time'));
  assert.ok(shown.indexOf('latency_ns') > shown.indexOf('size'), 'fields keep the catalog order');
  assert.deepEqual(createViewStore('light', storage).getState().columns, shown);
  storage.setItem('wireview.table.columns', '{not json');
  assert.deepEqual(createViewStore('light', storage).getState().columns, DEFAULT_COLUMNS);
});

test('collapsed lanes persist across sessions; damaged or oversized entries are dropped, the oldest forgotten first', () => {
  const storage = memoryStorage();
  const view = createViewStore('light', storage);
  view.getState().toggleLane('lane:3');
  view.getState().toggleLane('process:812:0');
  view.getState().toggleLane('lane:5');
  view.getState().toggleLane('lane:5');
  view.getState().toggleLane('x'.repeat(500));
  assert.deepEqual(createViewStore('light', storage).getState().collapsed, { 'lane:3': true, 'process:812:0': true });
  storage.setItem('wireview.timeline.collapsed', JSON.stringify(['lane:1', 7, '', null, 'lane:2']));
  assert.deepEqual(createViewStore('light', storage).getState().collapsed, { 'lane:1': true, 'lane:2': true });
  storage.setItem('wireview.timeline.collapsed', '{"lane:1": true');
  assert.deepEqual(createViewStore('light', storage).getState().collapsed, {});
  const many = createViewStore('light', storage);
  for (let i = 0; i < COLLAPSED_KEPT + 5; i++) many.getState().toggleLane(`connection:${i}`);
  const kept = Object.keys(createViewStore('light', storage).getState().collapsed);
  assert.equal(kept.length, COLLAPSED_KEPT);
  assert.ok(!kept.includes('connection:0') && kept.includes(`connection:${COLLAPSED_KEPT + 4}`));
});

test('sorting by a column that gets hidden is dropped', () => {
  const view = createViewStore('light', memoryStorage());
  view.getState().sortBy('pid');
  view.getState().toggleColumn('pid');
  assert.equal(view.getState().sort, null);
});

test('bookmarks are kept per trace and across sessions', () => {
  const storage = memoryStorage();
  const view = createViewStore('light', storage);
  view.getState().loaded(trace(10, 1000));
  view.getState().addBookmark(700);
  view.getState().addBookmark(200, 'start');
  assert.deepEqual(currentBookmarks(view.getState()).map((b) => [b.t, b.label]), [[200, 'start'], [700, 'Bookmark 1']]);
  view.getState().startLoading('b.pcap', 0);
  view.getState().loaded(trace(10, 1000, 'b.pcap'));
  assert.deepEqual(currentBookmarks(view.getState()), []);
  const again = createViewStore('light', storage);
  again.getState().loaded(trace(10, 1000));
  const kept = currentBookmarks(again.getState());
  assert.equal(kept.length, 2);
  again.getState().removeBookmark(kept[0]!.id);
  again.getState().addBookmark(300);
  assert.deepEqual(currentBookmarks(again.getState()).map((b) => b.label), ['Bookmark 3', 'Bookmark 1']);
});

test('a growing trace keeps the window unless following; following slides to the newest events', () => {
  const view = createViewStore('light', memoryStorage());
  const s = () => view.getState();
  s().startLoading('live capture', 0);
  s().loaded(trace(10, 1000, 'live capture'));
  const full = s().viewport;
  s().loaded(trace(20, 2000, 'live capture'));
  assert.ok(s().viewport.t1 > 2000 && s().viewport.t0 <= 0, 'the whole capture while not zoomed in');
  s().zoom(0.1, 1);
  const span = s().viewport.t1 - s().viewport.t0;
  s().loaded(trace(30, 5000, 'live capture'));
  assert.ok(Math.abs(s().viewport.t1 - s().viewport.t0 - span) < 1e-6, 'the same width');
  assert.ok(s().viewport.t0 < 5000 && s().viewport.t1 > 5000, 'ending at the newest event');
  s().pan(-0.5);
  assert.equal(s().follow, false, 'panning away ends following');
  const kept = s().viewport;
  s().loaded(trace(40, 9000, 'live capture'));
  assert.deepEqual(s().viewport, kept);
  s().setFollow(true);
  assert.ok(s().viewport.t1 > 9000 && s().viewport.t0 < 9000);
  assert.notDeepEqual(full, s().viewport);
});

test('lanes collapse and expand by key; grouping switches', () => {
  const view = createViewStore('light', memoryStorage());
  view.getState().toggleLane('lane:3');
  view.getState().toggleLane('process:7:0');
  assert.deepEqual(view.getState().collapsed, { 'lane:3': true, 'process:7:0': true });
  view.getState().toggleLane('lane:3');
  assert.deepEqual(view.getState().collapsed, { 'process:7:0': true });
  view.getState().setGrouping('connection');
  assert.equal(view.getState().grouping, 'connection');
});

test('filter history: newest first, de-duplicated, bounded, persisted', () => {
  const storage = memoryStorage();
  const h = createFilterHistory(storage);
  h.getState().remember('net.dport = 80');
  h.getState().remember('  ');
  h.getState().remember('ps.pid = 1');
  h.getState().remember(' net.dport = 80 ');
  assert.deepEqual(h.getState().entries, ['net.dport = 80', 'ps.pid = 1']);
  for (let i = 0; i < HISTORY_SIZE + 5; i++) h.getState().remember(`ps.pid = ${100 + i}`);
  assert.equal(h.getState().entries.length, HISTORY_SIZE);
  assert.deepEqual(createFilterHistory(storage).getState().entries, h.getState().entries);
  h.getState().forget(h.getState().entries[0]!);
  assert.equal(createFilterHistory(storage).getState().entries.length, HISTORY_SIZE - 1);
});
