/**
 * Hostile input for the parsers besides pcap/pcapng (pcap-fuzz.test.ts has those): WireView
 * traces, seed CSV files and kernel record frames with about 2% of their bytes changed, fed in
 * random chunk sizes. Only success or a one-line InputError is allowed, each input finishes
 * quickly, and memory stays bounded. Fixed seed; a time budget per parser bounds the run.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../renderer/engine/errors.js';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { createTraceImporter } from '../../renderer/engine/formats/arrow/trace-reader.js';
import { createCsvImporter } from '../../renderer/engine/formats/csv/csv-import.js';
import type { Importer } from '../../renderer/engine/formats/importer.js';
import { createPcapImporter } from '../../renderer/engine/formats/pcap/pcap-importer.js';
import { RecordDecoder } from '../../renderer/engine/records/decode.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { corpusDir, fixturesDir } from '../paths.js';
import { appendSyntheticEvents } from '../support/synthetic-events.js';
import { mutate, rng } from './mutate.js';

const BUDGET_MS = Number(process.env.WIREVIEW_FUZZ_MS ?? 30_000) / 3;
const PER_INPUT_MS = 2000;
const HEAP_LIMIT = 1 << 30;

function feed(importer: Importer, bytes: Uint8Array, chunk: number): void {
  for (let off = 0; off < bytes.length; off += chunk) importer.push(bytes.subarray(off, Math.min(bytes.length, off + chunk)));
  importer.end();
}

/** Runs mutated copies of `seeds` through `parse` until the budget is spent; returns [runs, refused]. */
function fuzz(label: string, seeds: Uint8Array[], parse: (bytes: Uint8Array, chunk: number) => void, seed: number, rate = 0.02): void {
  const rand = rng(seed);
  const started = performance.now();
  let runs = 0;
  let refused = 0;
  while (performance.now() - started < BUDGET_MS) {
    const src = seeds[runs % seeds.length]!;
    const bytes = mutate(src, rand, rate, rand() < 0.9 ? 8 : 0);
    const t0 = performance.now();
    try {
      parse(bytes, 1 + Math.floor(rand() * 9000));
    } catch (e) {
      if (!(e instanceof InputError)) assert.fail(`${label} input ${runs}: ${e instanceof Error ? e.stack : String(e)}`);
      assert.ok(!e.message.includes('\n'), `${label}: one-line message: ${e.message}`);
      refused++;
    }
    const ms = performance.now() - t0;
    assert.ok(ms < PER_INPUT_MS, `${label} input ${runs} took ${ms.toFixed(0)} ms`);
    if (++runs % 100 === 0) assert.ok(process.memoryUsage().heapUsed < HEAP_LIMIT, `${label}: heap after ${runs} inputs`);
  }
  console.log(`fuzz ${label}: ${runs} mutated inputs, ${refused} refused`);
  assert.ok(runs >= seeds.length, `${label}: only ${runs} inputs in the budget`);
  // Some damaged inputs must get through the outer checks, or the fuzz never reaches the decoders.
  assert.ok(refused < runs, `${label}: every input was refused at the surface`);
}

function traceBytes(store: EventStore, compress: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const w = new TraceWriter(store, (c) => parts.push(c.slice()), { compress });
  for (const b of store.batches) w.writeBatch(b);
  w.end();
  return Buffer.concat(parts);
}

test('mutated WireView traces import or are refused, nothing else', () => {
  const seeds: Uint8Array[] = [];
  const synthetic = new EventStore();
  appendSyntheticEvents(synthetic, { count: 3000, seed: 5, batchRows: 700 });
  seeds.push(traceBytes(synthetic, true), traceBytes(synthetic, false));
  for (const name of ['dns_tcp.pcap', 'tcp-handshake-nano.pcap', 'ipv4_tcp_http_xml.pcap']) {
    const store = new EventStore();
    feed(createPcapImporter(store, name), new Uint8Array(readFileSync(join(corpusDir, name))), 1 << 20);
    seeds.push(traceBytes(store, true), traceBytes(store, false));
  }
  // Uncompressed copies let mutations reach the batch decoding; a lower rate lets some files through.
  fuzz('trace', seeds, (bytes, chunk) => feed(createTraceImporter(new EventStore(), 'fuzz.arrows'), bytes, chunk), 0xa770, 0.002);
});

test('mutated seed CSV files import or are refused, nothing else', () => {
  const dir = join(fixturesDir, 'csv');
  const seeds = readdirSync(dir).map((n) => new Uint8Array(readFileSync(join(dir, n))));
  // A lower rate than for binary files: one damaged number refuses a whole CSV file.
  fuzz('csv', seeds, (bytes, chunk) => feed(createCsvImporter(new EventStore(), 'fuzz.csv'), bytes, chunk), 0xc5f, 0.0005);
});

test('mutated kernel record frames decode or are refused, nothing else', () => {
  const dir = join(fixturesDir, 'records');
  const seeds = readdirSync(dir)
    .filter((n) => n.endsWith('.bin'))
    .map((n) => new Uint8Array(readFileSync(join(dir, n))));
  fuzz(
    'records',
    seeds,
    (bytes) => {
      const decoder = new RecordDecoder(new EventStore());
      decoder.decodeAll(bytes);
      decoder.flush();
    },
    0x4ec,
  );
});
