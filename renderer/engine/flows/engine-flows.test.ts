import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../engine.js';
import { createPcapImporter } from '../formats/pcap/pcap-importer.js';
import { handleRequest } from '../worker.js';
import { corpusDir } from '../../../test/paths.js';
import type { FlowLadder, FlowList, FlowSeries } from './types.js';

function engineWith(file: string): Engine {
  const engine = new Engine({ createImporter: createPcapImporter });
  engine.importChunk({ chunk: new Uint8Array(readFileSync(join(corpusDir, file))) });
  engine.importEnd();
  return engine;
}

test('the worker protocol serves flows, a ladder, series and the flow of a row; bad ids and filters are errors', () => {
  const engine = engineWith('tcp-handshake-nano.pcap');
  const call = (method: string, arg: unknown) => handleRequest(engine, { id: 1, method, arg }).reply;
  const list = (call('flows', {}) as { result: FlowList }).result;
  assert.equal(list.total, 1);
  assert.equal(list.flows[0]!.handshake.status, 'established');
  const ladder = (call('flowLadder', { id: 0 }) as { result: FlowLadder }).result;
  assert.deepEqual(ladder.items.map((i) => (i.kind === 'packet' ? i.flags.join('|') : i.kind)), ['SYN', 'SYN|ACK', 'ACK']);
  const { reply, transfer } = handleRequest(engine, { id: 2, method: 'flowSeries', arg: { id: 0, buckets: 10 } });
  const series = (reply as { result: FlowSeries }).result;
  assert.ok(series.throughputToServer.v.length >= 10 && series.throughputToServer.v.length <= 11, 'the buckets asked for (one more when the span divides evenly)');
  assert.ok(transfer.length > 0, 'series arrays are transferred');
  assert.deepEqual((call('flowOfRow', { row: 2 }) as { result: unknown }).result, { id: 0 });
  assert.match((call('flowLadder', { id: 5 }) as { error: { message: string } }).error.message, /"id"/);
  const bad = call('flows', { filter: 'net.dport ==' }) as { error: { name: string } };
  assert.equal(bad.error.name, 'InputError');
});

test('the flow table is rebuilt when the store grows', () => {
  const engine = engineWith('tcp-handshake-nano.pcap');
  const first = engine.flowsTable();
  assert.equal(engine.flowsTable(), first);
  engine.importChunk({ chunk: new Uint8Array(readFileSync(join(corpusDir, 'dns_tcp.pcap'))) });
  engine.importEnd();
  assert.notEqual(engine.flowsTable(), first);
  assert.equal(engine.flows().total, 2);
});
