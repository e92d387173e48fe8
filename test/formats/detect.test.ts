import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { createImporter, detectInput } from '../../renderer/engine/formats/detect.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { corpusDir, fixturesDir } from '../paths.js';
import { syntheticTcpStore } from './arrow-synthetic.js';

const u8 = (...bytes: number[]): Uint8Array => Uint8Array.from([...bytes, ...new Array<number>(40).fill(0)]);

test('inputs are recognised by content', () => {
  assert.equal(detectInput(u8(0xd4, 0xc3, 0xb2, 0xa1)), 'pcap'); // µs, little-endian
  assert.equal(detectInput(u8(0xa1, 0xb2, 0xc3, 0xd4)), 'pcap'); // µs, big-endian
  assert.equal(detectInput(u8(0x4d, 0x3c, 0xb2, 0xa1)), 'pcap'); // ns, little-endian
  assert.equal(detectInput(u8(0xa1, 0xb2, 0x3c, 0x4d)), 'pcap'); // ns, big-endian
  assert.equal(detectInput(u8(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a)), 'pcapng');
  assert.equal(detectInput(u8(0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d)), 'pcapng');
  const csv = readFileSync(join(fixturesDir, 'csv', 'network-crlf.csv'));
  assert.equal(detectInput(csv.subarray(0, 4096)), 'csv');
  const trace = new TraceWriter(syntheticTcpStore(10)).begin();
  assert.equal(detectInput(trace), 'wireview');
  assert.equal(detectInput(trace.subarray(0, 12)), 'wireview');
  assert.equal(detectInput(new TextEncoder().encode('Timestamp,PID,Command\n')), undefined);
  assert.equal(detectInput(new TextEncoder().encode('{"ts_ns":1}\n')), undefined);
  assert.equal(detectInput(u8(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0)), undefined);
  assert.equal(detectInput(new Uint8Array(0)), undefined);
});

test('every corpus capture is detected as pcap or pcapng, or not at all', () => {
  let seen = 0;
  for (const name of readdirSync(corpusDir).slice(0, 200)) {
    const head = readFileSync(join(corpusDir, name)).subarray(0, 64);
    const kind = detectInput(head);
    assert.ok(kind === undefined || kind === 'pcap' || kind === 'pcapng', `${name}: ${kind}`);
    if (kind) seen++;
  }
  assert.ok(seen > 100);
});

test('createImporter dispatches to the right importer', () => {
  const file = readFileSync(join(fixturesDir, 'csv', 'network-sample.csv'));
  const store = new EventStore();
  const imp = createImporter(detectInput(file)!, store, 'network-sample.csv');
  imp.push(file);
  imp.end();
  assert.equal(store.rowCount, 400);
});
