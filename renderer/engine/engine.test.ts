import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from './engine.js';
import { createPcapImporter } from './formats/pcap/pcap-importer.js';
import { LANE_COUNT, eventIndex } from './model/events.js';
import { handleRequest } from './worker.js';
import { appendSyntheticEvents, appendTestRows } from '../../test/support/synthetic-events.js';
import { corpusDir } from '../../test/paths.js';

function engineWithRows(): Engine {
  const engine = new Engine();
  appendTestRows(engine.store, [
    [
      { ts: 100, event: 'pkt.tcp', pid: 1, comm: 'curl', proto: 6, dport: 443, size: 10 },
      { ts: 200, event: 'sock.connect', pid: 1, comm: 'curl', proto: 6, dport: 443 },
      { ts: 300, event: 'pkt.udp', pid: 2, comm: 'dig', proto: 17, dport: 53, size: 40 },
    ],
    [{ ts: 50, event: 'pkt.tcp', pid: 2, comm: 'dig', proto: 6, dport: 80, size: 0 }],
  ]);
  return engine;
}

test('info counts everything and follows filters and ranges', () => {
  const engine = engineWithRows();
  const info = engine.info();
  assert.equal(info.rowCount, 4);
  assert.equal(info.events, 4);
  assert.equal(info.baseNs, 1_000_000_000n);
  assert.equal(info.firstTs, 50);
  assert.equal(info.lastTs, 300);
  assert.equal(info.laneTotals.length, LANE_COUNT);
  assert.equal(info.laneTotals[6], 3);
  assert.deepEqual(engine.counts({ filter: "ps.comm = 'curl'" }).byEvent, { 'pkt.tcp': 1, 'sock.connect': 1 });
  assert.deepEqual(engine.counts({ range: { t0: 60, t1: 250 } }).byEvent, { 'pkt.tcp': 1, 'sock.connect': 1 });
  assert.deepEqual(engine.counts({ filter: 'net.dport = 443', range: { t0: 150, t1: 400 } }).byEvent, { 'sock.connect': 1 });
  assert.equal(engine.counts({ filter: '   ' }).events, 4);
});

test('lod, page, position and details through the facade', () => {
  const engine = engineWithRows();
  const lod = engine.lod({ t0: 0, t1: 400, width: 4 });
  assert.deepEqual(Array.from(lod.counts.subarray(6 * 4, 7 * 4)), [1, 1, 0, 1]);
  assert.equal(lod.dominant[6 * 4 + 3], eventIndex('pkt.udp'));
  const filtered = engine.lod({ t0: 0, t1: 400, width: 4, filter: 'net.proto = tcp' });
  assert.deepEqual(Array.from(filtered.counts.subarray(6 * 4, 7 * 4)), [1, 1, 0, 0]);

  const page = engine.page({ offset: 0, limit: 10, columns: ['event', 'dport'], sort: { field: 'size', descending: true } });
  assert.deepEqual(Array.from(page.rows), [2, 0, 3, 1]);
  assert.deepEqual(page.columns.event, ['pkt.udp', 'pkt.tcp', 'pkt.tcp', 'sock.connect']);
  const inRange = engine.page({ offset: 0, limit: 10, columns: [], range: { t0: 0, t1: 150 } });
  assert.deepEqual(Array.from(inRange.rows), [3, 0]);
  assert.deepEqual(engine.position({ row: 2 }), { index: 3, total: 4 });
  assert.deepEqual(engine.position({ row: 2, filter: 'net.proto = tcp' }), { index: -1, total: 3 });

  assert.equal(engine.details({ row: 1 }).event.id, 'sock.connect');
  assert.deepEqual(engine.timeRange({ t0: 100, t1: 300 }), { start: 1, end: 3, firstTs: 50, lastTs: 300 });
});

test('bad arguments and bad filters are refused with clear messages', () => {
  const engine = engineWithRows();
  assert.throws(() => engine.lod({ t0: 0, t1: 1, width: 0 }), /"width"/);
  assert.throws(() => engine.lod({ t0: NaN, t1: 1, width: 10 }), /"t0"/);
  assert.throws(() => engine.page({ offset: -1, limit: 1, columns: [] }), /"offset"/);
  assert.throws(() => engine.page({ offset: 0, limit: 1, columns: ['nope'] }), /Unknown field "nope"/);
  assert.throws(() => engine.counts({ filter: 'ps.pidd = 1' }), { name: 'InputError' });
  assert.deepEqual(engine.checkFilter({ filter: 'ps.pid = 1' }), { ok: true });
  const bad = engine.checkFilter({ filter: 'ps.pid = 1 and (' });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.ok(bad.column > 10);
});

test('worker protocol: results with transferred buffers, errors as replies', () => {
  const engine = new Engine();
  appendSyntheticEvents(engine.store, { count: 2000, batchRows: 300 });
  const { reply, transfer } = handleRequest(engine, { id: 7, method: 'lod', arg: { t0: 0, t1: 1e9, width: 100 } });
  assert.equal(reply.id, 7);
  assert.ok('result' in reply);
  assert.equal(transfer.length, 2);
  const bad = handleRequest(engine, { id: 8, method: 'counts', arg: { filter: 'net.dport >' } });
  assert.ok('error' in bad.reply && bad.reply.error.name === 'InputError' && typeof bad.reply.error.offset === 'number');
  const unknown = handleRequest(engine, { id: 9, method: 'constructor', arg: {} });
  assert.ok('error' in unknown.reply && /unknown engine method/.test(unknown.reply.error.message));
  assert.equal(handleRequest(engine, null).reply.id, -1);
});

test('importChunk feeds the importer and indexes follow the new rows', () => {
  const engine = new Engine({ createImporter: createPcapImporter });
  const name = 'dns_tcp.pcap';
  const bytes = readFileSync(join(corpusDir, name));
  for (let at = 0; at < bytes.length; at += 4096) engine.importChunk({ chunk: bytes.subarray(at, at + 4096), name });
  const done = engine.importEnd();
  assert.equal(done.rowCount, engine.store.rowCount);
  const info = engine.info();
  assert.equal(info.events, 13);
  assert.equal(info.byEvent['pkt.tcp'], 11);
  const lod = engine.lod({ t0: info.firstTs, t1: info.lastTs + 1, width: 50 });
  assert.equal(lod.counts.reduce((a, b) => a + b, 0), 13);
  const page = engine.page({ offset: 0, limit: 2, columns: ['event'], filter: "evt.name = 'dns.answer'" });
  assert.deepEqual(page.columns.event, ['dns.answer']);
});
