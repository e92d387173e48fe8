import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../renderer/engine/errors.js';
import { createImporter, detectInput } from '../../renderer/engine/formats/detect.js';
import type { InputKind } from '../../renderer/engine/formats/importer.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import type { EventBatch } from '../../renderer/engine/store/batch.js';

/** Bytes read per step: large enough for speed, small enough to report progress often. */
const CHUNK_BYTES = 4 << 20;

/** A problem with one input file, already worded for the user: `<file>: <what> (byte N)`. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly offset?: number,
  ) {
    super(`${file}: ${detail}${offset === undefined ? '' : ` (byte ${offset})`}`);
    this.name = 'FileError';
  }
}

export interface OpenOptions {
  /** Called after each chunk with bytes read so far and the file size. */
  progress?: (done: number, total: number) => void;
  /** Called for each batch as the importer seals it (streaming conversion). */
  onBatch?: (batch: EventBatch, store: EventStore) => void;
}

export interface OpenedTrace {
  store: EventStore;
  kind: InputKind;
  bytes: number;
}

/**
 * Reads any supported input (native trace, pcap, pcapng, seed CSV), recognised by content, into a
 * new EventStore. Input problems become a FileError naming the file and byte offset.
 */
export async function openTrace(path: string, options: OpenOptions = {}): Promise<OpenedTrace> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new FileError(path, describeFsError(e));
  }
  try {
    const size = (await handle.stat()).size;
    if (size === 0) throw new FileError(path, 'empty file');
    const buf = new Uint8Array(CHUNK_BYTES);
    let { bytesRead } = await handle.read(buf, 0, CHUNK_BYTES, 0);
    const kind = detectInput(buf.subarray(0, bytesRead));
    if (!kind) throw new FileError(path, 'not a WireView trace, pcap, pcapng or seed CSV file', 0);
    const store = new EventStore();
    store.meta.sources.push({ kind, name: basename(path) });
    if (options.onBatch) {
      const cb = options.onBatch;
      store.onAppend((b) => cb(b, store));
    }
    const importer = createImporter(kind, store, basename(path));
    let done = 0;
    try {
      while (bytesRead > 0) {
        // The importer may keep views of the chunk: hand it a copy it owns.
        importer.push(buf.slice(0, bytesRead));
        done += bytesRead;
        options.progress?.(done, size);
        ({ bytesRead } = await handle.read(buf, 0, CHUNK_BYTES, done));
      }
      importer.end();
    } catch (e) {
      if (e instanceof InputError) throw new FileError(path, e.message, e.offset);
      throw e;
    }
    return { store, kind, bytes: done };
  } finally {
    await handle.close();
  }
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return (e as Error).message;
  }
}
