import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CompressionType,
  Dictionary,
  Field,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Uint16,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { columnValue, hasValue } from '../../store/batch.js';
import { EventStore } from '../../store/event-store.js';
import { registerLz4Codec } from './lz4-codec.js';
import { createTraceImporter } from './trace-reader.js';

const ROWS = 40;
/** Rows 3, 4, 5 and every 7th have no value in the nullable columns. */
const isNull = (r: number): boolean => (r >= 3 && r <= 5) || r % 7 === 0;

/**
 * A stream as another tool may write it: Arrow's own writer, and null slots holding garbage
 * (Arrow leaves their contents undefined), in a number, a 64-bit and a dictionary column.
 */
function foreignStream(compress: boolean): Uint8Array {
  const bitmap = new Uint8Array(8);
  let nulls = 0;
  for (let r = 0; r < ROWS; r++) {
    if (isNull(r)) nulls++;
    else bitmap[r >>> 3]! |= 1 << (r & 7);
  }
  const nullable = { nullCount: nulls, nullBitmap: bitmap };
  const eventDict = vectorFromArray(['sock.send', 'pkt.tcp'], new Utf8());
  const commDict = vectorFromArray(['curl', 'nginx'], new Utf8());
  const eventType = new Dictionary(new Utf8(), new Int8(), 0);
  const commType = new Dictionary(new Utf8(), new Int32(), 1);
  const fields = [
    new Field('ts_ns', new Int64(), false),
    new Field('event', eventType, false),
    new Field('sport', new Uint16(), true),
    new Field('latency_ns', new Int64(), true),
    new Field('comm', commType, true),
  ];
  const children = [
    makeData({ type: new Int64(), length: ROWS, data: BigInt64Array.from({ length: ROWS }, (_, r) => 1_700_000_000_000_000_000n + BigInt(r) * 1000n) }),
    makeData({ type: eventType, length: ROWS, data: Int8Array.from({ length: ROWS }, (_, r) => r & 1), dictionary: eventDict }),
    makeData({ type: new Uint16(), length: ROWS, ...nullable, data: Uint16Array.from({ length: ROWS }, (_, r) => (isNull(r) ? 0xbeef : 1000 + r)) }),
    makeData({ type: new Int64(), length: ROWS, ...nullable, data: BigInt64Array.from({ length: ROWS }, (_, r) => (isNull(r) ? -77n : BigInt(r * 10))) }),
    makeData({ type: commType, length: ROWS, ...nullable, data: Int32Array.from({ length: ROWS }, (_, r) => (isNull(r) ? 1 : r % 2)), dictionary: commDict }),
  ];
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: ROWS, children }));
  if (compress) registerLz4Codec();
  const writer = new RecordBatchStreamWriter({ compressionType: compress ? CompressionType.LZ4_FRAME : null });
  writer.write(batch);
  writer.finish();
  return writer.toUint8Array(true);
}

for (const compress of [true, false]) {
  test(`null slots of another writer read as no value, whatever they hold (${compress ? 'LZ4' : 'uncompressed'})`, () => {
    const store = new EventStore();
    const importer = createTraceImporter(store, 'foreign.arrows');
    importer.push(foreignStream(compress));
    importer.end();
    assert.equal(store.rowCount, ROWS);
    const batch = store.batches[0]!;
    const comm = store.dicts.strings('comm');
    for (let r = 0; r < ROWS; r++) {
      for (const key of ['sport', 'latency_ns', 'comm']) {
        const col = batch.columns[key];
        assert.equal(hasValue(col, r), !isNull(r), `row ${r} ${key}`);
        if (!isNull(r)) continue;
        // Sealed columns hold 0 in rows without a value (dense form read directly).
        if (col?.form === 'dense') assert.equal(col.values[r], 0, `row ${r} ${key} slot`);
      }
      if (isNull(r)) continue;
      assert.equal(columnValue(batch.columns.sport!, r), 1000 + r);
      assert.equal(columnValue(batch.columns.latency_ns!, r), r * 10);
      assert.equal(comm.get(columnValue(batch.columns.comm!, r)), r % 2 ? 'nginx' : 'curl');
    }
  });
}
