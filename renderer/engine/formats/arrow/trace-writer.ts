import {
  CompressionType,
  RecordBatch,
  RecordBatchStreamWriter,
  Struct,
  Utf8,
  Vector,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
  type Dictionary,
  type Schema,
} from 'apache-arrow';
import { EVENTS } from '../../model/events.js';
import { STORED_FIELDS, type Storage } from '../../model/fields.js';
import type { EventBatch } from '../../store/batch.js';
import type { EventStore } from '../../store/event-store.js';
import type { ChunkSink } from '../importer.js';
import { toInt64 } from './int64.js';
import { markZeroFilled, registerLz4Codec } from './lz4-codec.js';
import { WriteScratch } from './write-scratch.js';
import { BASE_KEY, DNS_KEY, META_KEY, columnKind, metaToJson, traceSchema } from './trace-schema.js';

/** Arrow's stream writer with its output sent to us instead of its async queue. */
class CollectingStreamWriter extends RecordBatchStreamWriter {
  readonly pending: Uint8Array[] = [];

  protected override _write(chunk: ArrayBufferView | ArrayBufferLike): this {
    if (!this._started) return this;
    const bytes = ArrayBuffer.isView(chunk)
      ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      : new Uint8Array(chunk);
    if (bytes.byteLength > 0) {
      this.pending.push(bytes);
      this._position += bytes.byteLength;
    }
    return this;
  }
}

/** A field's dictionary as written so far: one chunk per delta, so Arrow writes only the new part. */
class DictionaryChunks {
  private readonly chunks: Data<Utf8>[] = [vectorFromArray([] as string[], new Utf8()).data[0]!];
  private vector = new Vector<Utf8>(this.chunks);
  private written = 0;

  /** The dictionary covering ids < size; new ids become a new chunk (a delta batch on write). */
  upTo(size: number, textOf: (id: number) => string): Vector<Utf8> {
    if (size > this.written) {
      const added: string[] = [];
      for (let id = this.written; id < size; id++) added.push(textOf(id));
      this.chunks.push(vectorFromArray(added, new Utf8()).data[0]!);
      this.vector = new Vector<Utf8>([...this.chunks]);
      this.written = size;
    }
    return this.vector;
  }
}

export interface TraceWriterOptions {
  /** Compress record batch bodies with LZ4 frames (default true; any Arrow reader decodes them). */
  compress?: boolean;
}

const BIT_COUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
});

function countSet(bits: Uint8Array, length: number): number {
  let n = 0;
  const full = length >>> 3;
  for (let i = 0; i < full; i++) n += BIT_COUNT[bits[i]!]!;
  for (let r = full * 8; r < length; r++) n += (bits[r >>> 3]! >>> (r & 7)) & 1;
  return n;
}

/**
 * Writes a store's batches as an Arrow IPC stream (see trace-schema.ts): the schema with the
 * trace metadata first, then one record batch (preceded by dictionary deltas) per EventBatch, and
 * on `end()` a closing empty batch carrying the final metadata, then the end-of-stream marker.
 * Each call hands its bytes to `sink` in one chunk and returns them. Single-threaded, synchronous.
 */
export class TraceWriter {
  private readonly writer: CollectingStreamWriter;
  private readonly schema: Schema;
  private readonly dictionaries = STORED_FIELDS.map(() => new DictionaryChunks());
  private readonly eventNames = vectorFromArray(EVENTS.map((e) => e.id), new Utf8());
  private readonly dnsWritten = new Map<number, number>();
  private zeros = new ArrayBuffer(0);
  private readonly scratch = new WriteScratch();
  private begun = false;
  private ended = false;

  constructor(
    private readonly store: EventStore,
    private readonly sink?: ChunkSink,
    options: TraceWriterOptions = {},
  ) {
    const compress = options.compress ?? true;
    if (compress) registerLz4Codec();
    this.writer = new CollectingStreamWriter({ compressionType: compress ? CompressionType.LZ4_FRAME : null });
    this.schema = traceSchema(store.meta);
  }

  /** Writes the schema (with the store's metadata as it is now); done by the first write if not called. */
  begin(): Uint8Array {
    if (!this.begun) {
      this.begun = true;
      this.writer.reset(undefined, this.schema);
    }
    return this.flush();
  }

  /** Writes one sealed batch of this store (times relative to `batch.baseNs`). */
  writeBatch(batch: EventBatch): Uint8Array {
    if (this.ended) throw new Error('TraceWriter: writeBatch after end');
    this.begin();
    const metadata = this.dnsDelta();
    metadata.set(BASE_KEY, batch.baseNs.toString());
    this.writer.write(this.recordBatch(batch, metadata));
    return this.flush();
  }

  /** Closing empty batch with the final metadata and DNS names, then end of stream. */
  end(): Uint8Array {
    if (this.ended) return new Uint8Array(0);
    this.begin();
    const closing = this.dnsDelta();
    closing.set(META_KEY, metaToJson(this.store.meta));
    this.writer.write(this.recordBatch({ length: 0, baseNs: 0n, columns: {} }, closing));
    this.writer.finish();
    this.ended = true;
    return this.flush();
  }

  private flush(): Uint8Array {
    const parts = this.writer.pending.splice(0);
    let size = 0;
    for (const p of parts) size += p.byteLength;
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    if (size > 0) this.sink?.(out);
    return out;
  }

  /** DNS names added to the store since the last batch, as record-batch metadata. */
  private dnsDelta(): Map<string, string> {
    const added: [string, string[]][] = [];
    for (const [addrId, names] of this.store.dns.entries()) {
      const done = this.dnsWritten.get(addrId) ?? 0;
      if (names.length > done) {
        added.push([this.store.dicts.addrs.text(addrId), names.slice(done)]);
        this.dnsWritten.set(addrId, names.length);
      }
    }
    return added.length > 0 ? new Map([[DNS_KEY, JSON.stringify(added)]]) : new Map();
  }

  private zeroBuffer(bytes: number): ArrayBuffer {
    if (this.zeros.byteLength < bytes) {
      this.zeros = new ArrayBuffer(bytes);
      markZeroFilled(this.zeros); // never written: its frames need no compression pass
    }
    return this.zeros;
  }

  private recordBatch(batch: EventBatch, metadata: Map<string, string>): RecordBatch {
    const n = batch.length;
    const children = STORED_FIELDS.map((field, i) => {
      const type = this.schema.fields[i]!.type as DataType;
      const col = batch.columns[field.key];
      const kind = columnKind(field);
      // An absent column is all null; its zero-filled buffers compress to almost nothing.
      const nullBitmap = col ? (col.valid ?? undefined) : new Uint8Array(this.zeroBuffer(n * 8), 0, (n + 7) >>> 3);
      const nullCount = !col ? n : col.valid ? n - countSet(col.valid, n) : 0;
      // Arrow wants the field's own integer width: compact forms are expanded for the write.
      const raw = col && this.scratch.values(i, col, field.storage as Storage, n);
      const common = { type, length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}) };
      switch (kind) {
        case 'int64': {
          const base = field.key === 'ts_ns' ? batch.baseNs : 0n;
          const data = raw ? toInt64(raw as Float64Array, n, base, this.scratch.int64(STORED_FIELDS.length + i, n)) : new BigInt64Array(this.zeroBuffer(n * 8), 0, n);
          return makeData({ ...common, data } as never);
        }
        case 'event': {
          const data = raw ? new Int8Array(raw.buffer, raw.byteOffset, n) : new Int8Array(this.zeroBuffer(n), 0, n);
          return makeData({ ...common, data, dictionary: this.eventNames } as never);
        }
        case 'dict': {
          const data = raw ? new Int32Array(raw.buffer, raw.byteOffset, n) : new Int32Array(this.zeroBuffer(n * 4), 0, n);
          const dictionary = this.dictionaryOf(i, field.storage === 'addr' ? 'addr' : field.key);
          return makeData({ ...common, type: type as Dictionary, data, dictionary } as never);
        }
        default: {
          const Ctor = kind === 'u8' ? Uint8Array : kind === 'u16' ? Uint16Array : Uint32Array;
          const data = raw ?? new Ctor(this.zeroBuffer(n * 4), 0, n);
          return makeData({ ...common, data } as never);
        }
      }
    });
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    return new RecordBatch(this.schema, data, metadata);
  }

  private dictionaryOf(fieldIndex: number, source: string): Vector<Utf8> {
    const chunks = this.dictionaries[fieldIndex]!;
    if (source === 'addr') {
      const addrs = this.store.dicts.addrs;
      return chunks.upTo(addrs.size, (id) => addrs.text(id));
    }
    const dict = this.store.dicts.strings(source);
    return chunks.upTo(dict.size, (id) => dict.get(id));
  }
}
