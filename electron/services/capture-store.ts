/**
 * Where a live capture's decoded batches go: the view-filter expression (when given) keeps only
 * its rows, then each batch is handed on to be spilled, and kept in memory unless the caller
 * only streams to disk (the CLI), so hours of capture do not grow the process.
 */
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { FilterNode } from '../../renderer/engine/filter/ast.js';
import { evaluateTree } from '../../renderer/engine/filter/evaluate.js';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import type { EventBatch } from '../../renderer/engine/store/batch.js';
import { BatchBuilder } from '../../renderer/engine/store/batch-builder.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { useNativeLz4 } from '../native/lz4-addon.js';
import { FileError, describeFsError } from './input-file.js';
import { keepRows, singleBatchView } from './capture-filter.js';

export class CaptureStore extends EventStore {
  /** Rows that reached `onBatch` (the file). */
  written = 0;
  /** Rows the expression dropped before writing. */
  filteredOut = 0;

  constructor(
    private readonly expression: FilterNode | undefined,
    private readonly retain: boolean,
    /**
     * Gets each sealed batch. Without `retain` the batch's columns are the builder's own buffers:
     * valid only until `onBatch` returns (write it synchronously, never keep or queue it).
     */
    private readonly onBatch: (batch: EventBatch) => void,
  ) {
    super();
  }

  /**
   * Without retention each batch is filtered and written before the decoder adds another row, so
   * its columns can be the builder's own buffers (BatchBuilder's `transient`): no sealing into
   * narrow forms that the file writer would widen again, no copy per column per batch.
   */
  override builder(baseNs: bigint, capacity?: number): BatchBuilder {
    return new BatchBuilder(this.dicts, baseNs, capacity, !this.retain);
  }

  /** Called by RecordDecoder for every sealed batch. */
  override append(batch: EventBatch): void {
    if (batch.length === 0) return;
    let kept: EventBatch | undefined = batch;
    if (this.expression) {
      const mask = evaluateTree(singleBatchView(this, batch), this.expression);
      kept = keepRows(this, batch, mask.bits, mask.count);
      this.filteredOut += batch.length - mask.count;
    }
    if (kept) this.appendUnfiltered(kept);
  }

  /** Appends and spills a batch the expression does not judge (the capture's own gap markers). */
  appendUnfiltered(batch: EventBatch): void {
    let stored = batch;
    if (this.retain) {
      super.append(batch);
      stored = this.batches[this.batches.length - 1]!;
    } else {
      this.baseNs ??= batch.baseNs;
    }
    this.written += stored.length;
    this.onBatch(stored);
  }
}

/**
 * The trace file of a capture, written in place (not renamed at the end): every batch is in the
 * file as soon as it is sealed, so whatever is killed, the file opens up to its last batch.
 */
export class CaptureSpill {
  private readonly fd: number;
  private writer: TraceWriter | undefined;
  private closed = false;
  bytes = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new FileError(path, `cannot write: ${describeFsError(e)}`);
    }
  }

  /** Writes the schema with the store's metadata as it is now (host, clock, config, sources). */
  begin(store: EventStore): void {
    useNativeLz4(); // the batches' LZ4 is the largest single cost of a capture's CPU in JS
    this.writer = new TraceWriter(store, (chunk) => this.write(chunk));
    this.writer.begin();
  }

  writeBatch(batch: EventBatch): void {
    this.writer?.writeBatch(batch);
  }

  /** Closing batch with the final metadata (loss totals, gaps), end of stream, fsync, close. */
  end(): void {
    if (this.closed) return;
    this.writer?.end();
    this.closed = true;
    try {
      fsyncSync(this.fd);
    } catch {
      // not a regular file (a pipe): nothing to sync
    }
    closeSync(this.fd);
  }

  /** Closes and removes the file (the capture never started: there is nothing to keep). */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }

  private write(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      try {
        off += writeSync(this.fd, chunk, off, chunk.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw new FileError(this.path, `write failed: ${describeFsError(e)}`);
      }
    }
    this.bytes += chunk.length;
  }
}
