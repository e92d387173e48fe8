/**
 * Every single-byte change of a small WireView trace, compressed and not: each byte in turn is
 * XORed with a few values and the copy is read. Only a whole import or a one-line InputError is
 * allowed, each within a time and heap bound (a damaged count taken on trust once made the reader
 * grow an array to 1.5·10^9 entries and die out of memory). Deterministic, unlike the fuzz tests:
 * a failure names the byte and the value to reproduce it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../renderer/engine/errors.js';
import { createTraceImporter } from '../../renderer/engine/formats/arrow/trace-reader.js';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { createPcapImporter } from '../../renderer/engine/formats/pcap/pcap-importer.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { corpusDir } from '../paths.js';

/** 0x01 nudges a count, 0x5a scatters bits (the value that found the crash), 0xff flips signs. */
const XORS = [0x01, 0x5a, 0xff];
/** Generous: a sound input takes about a millisecond; the bound catches loops over damaged counts. */
const PER_INPUT_MS = 2000;
const HEAP_LIMIT = 384 << 20;

function traceOfCapture(name: string, compress: boolean): Uint8Array {
  const store = new EventStore();
  const pcap = createPcapImporter(store, name);
  pcap.push(new Uint8Array(readFileSync(join(corpusDir, name))));
  pcap.end();
  const parts: Uint8Array[] = [];
  const w = new TraceWriter(store, (c) => parts.push(c.slice()), { compress });
  for (const b of store.batches) w.writeBatch(b);
  w.end();
  return new Uint8Array(Buffer.concat(parts));
}

/** Reads `bytes`, pushed whole or split at `splitAt`; throws what the importer throws. */
function read(bytes: Uint8Array, splitAt: number | undefined): number {
  const store = new EventStore();
  const importer = createTraceImporter(store, 'flipped.arrows');
  if (splitAt === undefined) importer.push(bytes);
  else {
    importer.push(bytes.subarray(0, splitAt));
    importer.push(bytes.subarray(splitAt));
  }
  importer.end();
  return store.rowCount;
}

function flipEveryByte(src: Uint8Array): void {
  assert.ok(read(src, undefined) > 0, 'the undamaged trace imports');
  let imported = 0;
  let refused = 0;
  for (let at = 0; at < src.length; at++) {
    for (let k = 0; k < XORS.length; k++) {
      const bytes = new Uint8Array(src); // a copy: the seed stays whole
      bytes[at]! ^= XORS[k]!;
      const where = `byte ${at} ^ 0x${XORS[k]!.toString(16)}`;
      const t0 = performance.now();
      try {
        // Every other value pushes the damage in a chunk of its own, through the framer's joins.
        read(bytes, k % 2 === 1 ? at : undefined);
        imported++;
      } catch (e) {
        if (!(e instanceof InputError)) assert.fail(`${where}: ${e instanceof Error ? e.stack : String(e)}`);
        assert.ok(!e.message.includes('\n'), `${where}: one-line message: ${e.message}`);
        refused++;
      }
      const ms = performance.now() - t0;
      assert.ok(ms < PER_INPUT_MS, `${where} took ${ms.toFixed(0)} ms`);
      const heap = process.memoryUsage().heapUsed;
      assert.ok(heap < HEAP_LIMIT, `${where}: heap at ${(heap / 2 ** 20).toFixed(0)} MiB`);
    }
  }
  console.log(`${src.length} bytes × ${XORS.length} values: ${imported} imported, ${refused} refused`);
  // Changes in padding, metadata text and values must get through, or the reader refuses too much.
  assert.ok(imported > 0 && refused > 0);
}

test('every byte of a compressed trace changed: each imports or is refused in one line', () => {
  flipEveryByte(traceOfCapture('tcp-handshake-nano.pcap', true));
});

test('every byte of an uncompressed trace changed: each imports or is refused in one line', () => {
  flipEveryByte(traceOfCapture('tcp-handshake-nano.pcap', false));
});
