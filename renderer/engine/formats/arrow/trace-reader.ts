import { MessageHeader, RecordBatchReader, type RecordBatch, type RecordBatchStreamReader } from 'apache-arrow';
import { InputError } from '../../errors.js';
import type { EventStore } from '../../store/event-store.js';
import type { Importer } from '../importer.js';
import { BatchConverter } from './batch-converter.js';
import { registerLz4Codec } from './lz4-codec.js';
import { MessageFramer, type FramedMessage } from './message-framer.js';
import { BASE_KEY, DNS_KEY, META_KEY, metaFromJson } from './trace-schema.js';

/**
 * Whole messages for Arrow's pull-based reader. Arrow asks for one chunk more than it needs when a
 * read ends exactly at the end of what it holds; an empty chunk answers that without ending the
 * stream. A second ask while empty means the reader wants bytes we do not have: that stops it.
 */
class MessageFeed implements IterableIterator<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private emptyAsks = 0;
  closed = false;

  add(bytes: Uint8Array): void {
    this.queue.push(bytes);
  }

  [Symbol.iterator](): IterableIterator<Uint8Array> {
    return this;
  }

  next(): IteratorResult<Uint8Array> {
    const v = this.queue.shift();
    if (v) {
      this.emptyAsks = 0;
      return { done: false, value: v };
    }
    if (this.closed || ++this.emptyAsks > 1) return { done: true, value: undefined };
    return { done: false, value: new Uint8Array(0) };
  }
}

/**
 * Reads a WireView trace (Arrow IPC stream, see trace-schema.ts) as it arrives: schema and trace
 * metadata first, then each record batch becomes an EventBatch in `store` (strings and addresses
 * re-interned into the store's dictionaries). A stream cut short keeps every whole batch and sets
 * `store.meta.truncated`.
 */
class TraceImporter implements Importer {
  private readonly framer = new MessageFramer();
  private readonly feed = new MessageFeed();
  private reader: RecordBatchStreamReader | undefined;
  private converter: BatchConverter | undefined;
  /** Dictionary messages waiting for the record batch that uses them. */
  private waiting: FramedMessage[] = [];
  private sawClosing = false;
  private bytesIn = 0;
  private batchesRead = 0;

  constructor(private readonly store: EventStore) {
    registerLz4Codec();
  }

  push(chunk: Uint8Array): void {
    if (this.bytesIn < 4) this.checkStart(chunk);
    this.bytesIn += chunk.length;
    for (const m of this.framer.push(chunk)) this.take(m);
  }

  end(): void {
    const lostBytes = this.framer.pendingBytes + this.waiting.reduce((n, m) => n + m.bytes.length, 0);
    if (!this.reader) {
      if (this.bytesIn === 0) throw new InputError('empty input', 0);
    }
    if (!this.framer.sawEnd || lostBytes > 0 || !this.sawClosing) {
      const cutAt = this.bytesIn;
      const kept = `kept ${this.store.rowCount} events in ${this.batchesRead} whole batches`;
      const dropped = lostBytes > 0 ? `; ${lostBytes} bytes of an incomplete batch dropped` : '';
      this.store.meta.truncated = {
        atByte: cutAt,
        message: `trace cut short at byte ${cutAt}: ${kept}${dropped}; events written after the cut are lost`,
      };
    }
    this.feed.closed = true;
  }

  /** Refuses input that does not start like an Arrow stream before buffering any of it. */
  private checkStart(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && this.bytesIn + i < 4; i++) {
      if (chunk[i] !== 0xff) throw new InputError('not a WireView trace: no Arrow IPC stream marker', 0);
    }
  }

  private take(m: FramedMessage): void {
    if (!this.reader) {
      if (m.type !== MessageHeader.Schema) throw new InputError('not a WireView trace: Arrow stream does not start with a schema', m.offset);
      this.openSchema(m);
      return;
    }
    if (m.type === MessageHeader.DictionaryBatch) {
      this.waiting.push(m);
      return;
    }
    if (m.type !== MessageHeader.RecordBatch) throw new InputError('unexpected Arrow message in trace', m.offset);
    for (const d of this.waiting) this.feed.add(d.bytes);
    const first = this.waiting[0]?.offset ?? m.offset;
    this.waiting = [];
    this.feed.add(m.bytes);
    let rb: RecordBatch;
    try {
      const r = this.reader.next();
      if (r.done) throw new Error('reader ended early');
      rb = r.value;
    } catch (e) {
      throw new InputError(`damaged record batch: ${firstLine(e)}`, first);
    }
    this.readBatch(rb, m.offset);
  }

  private openSchema(m: FramedMessage): void {
    this.feed.add(m.bytes);
    try {
      this.reader = RecordBatchReader.from(this.feed) as RecordBatchStreamReader;
      this.reader.open();
    } catch (e) {
      throw new InputError(`damaged trace schema: ${firstLine(e)}`, m.offset);
    }
    const schema = this.reader.schema;
    if (!schema) throw new InputError('damaged trace schema', m.offset);
    this.converter = new BatchConverter(this.store, schema, m.offset);
    const metaText = schema.metadata.get(META_KEY);
    if (metaText !== undefined) this.applyMeta(metaText, m.offset);
  }

  private readBatch(rb: RecordBatch, offset: number): void {
    if (rb.numRows > 0) {
      const base = rb.metadata.get(BASE_KEY);
      if (base !== undefined && /^-?\d{1,20}$/.test(base)) this.converter!.suggestBase(BigInt(base));
      this.store.append(this.converter!.convert(rb, offset));
      this.batchesRead++;
    }
    // After the rows: their addresses are interned in file order first, so ids come out the same.
    const dns = rb.metadata.get(DNS_KEY);
    if (dns !== undefined) this.applyDns(dns, offset);
    const meta = rb.metadata.get(META_KEY);
    if (meta !== undefined) {
      this.applyMeta(meta, offset);
      this.sawClosing = true;
    }
  }

  private applyMeta(text: string, offset: number): void {
    let meta;
    try {
      meta = metaFromJson(text);
    } catch {
      throw new InputError('damaged trace metadata (wireview.meta is not valid JSON)', offset);
    }
    const current = this.store.meta;
    const known = new Set(current.sources.map((s) => `${s.kind}\u0000${s.name}`));
    const sources = [...current.sources, ...meta.sources.filter((s) => !known.has(`${s.kind}\u0000${s.name}`))];
    this.store.meta = { ...meta, sources };
  }

  private applyDns(text: string, offset: number): void {
    let entries: unknown;
    try {
      entries = JSON.parse(text);
    } catch {
      throw new InputError('damaged DNS names in trace (wireview.dns is not valid JSON)', offset);
    }
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) continue;
      const id = this.store.dicts.addrs.internText(entry[0]);
      if (id === undefined) continue;
      for (const name of entry[1]) if (typeof name === 'string') this.store.dns.add(id, name);
    }
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** Importer for WireView's own trace files. `name` is for messages only. */
export function createTraceImporter(store: EventStore, name: string): Importer {
  void name;
  return new TraceImporter(store);
}
