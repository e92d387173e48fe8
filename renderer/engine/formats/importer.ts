import type { EventStore } from '../store/event-store.js';
import type { RowMask } from '../query/row-mask.js';

/**
 * A push parser for one input format. The caller reads the file in chunks (any size, any
 * boundaries) and pushes them; the importer appends sealed batches to the store as they fill.
 * Problems with the input throw InputError with the absolute byte offset. An input that stops
 * inside a record keeps every whole record before it and sets `store.meta.truncated`.
 */
export interface Importer {
  push(chunk: Uint8Array): void;
  /** No more input: flush the last batch, note a cut-short record. */
  end(): void;
}

/** Kinds of input recognised by content (formats/detect.ts). */
export type InputKind = 'wireview' | 'pcap' | 'pcapng' | 'csv';

/** Receives output bytes in order; exporters call it synchronously, a chunk at a time. */
export type ChunkSink = (chunk: Uint8Array) => void;

/**
 * An exporter writes the rows of `store` selected by `mask` (all rows when undefined), in global
 * row order, to `sink`; `progress(done, total)` is called now and then.
 */
export type Exporter = (
  store: EventStore,
  mask: RowMask | undefined,
  sink: ChunkSink,
  progress?: (done: number, total: number) => void,
) => void;
