/**
 * Opening a file the user picked inside the engine's own thread: the worker reads the File itself
 * and imports each block as it arrives, so no byte crosses the page's thread. Reads arrive in
 * pieces of any size; they are gathered into blocks of BLOCK_BYTES before the importer sees them.
 * (The host's file is read by the page, which keeps reading while the worker imports: a worker
 * reading its own network stream would leave it undrained during each block's import.)
 */
import type { Engine } from './engine.js';
import type { TraceMeta } from './store/trace-meta.js';

/** What to open: a Blob/File, read in the worker. */
export interface OpenSource {
  readonly name: string;
  readonly file: Blob;
}

export interface OpenResult {
  readonly rowCount: number;
  readonly bytes: number;
  readonly truncated: TraceMeta['truncated'] | null;
}

export const BLOCK_BYTES = 1 << 20;

/**
 * Imports `body` into `engine` (importChunk per block, then importEnd); `progress(bytes)` after
 * each block. A refused block stops the reading (the stream is cancelled) and rethrows.
 */
export async function importBody(engine: Engine, name: string, body: ReadableStream<Uint8Array>, progress: (bytes: number) => void): Promise<OpenResult> {
  const reader = body.getReader();
  let block = new Uint8Array(BLOCK_BYTES);
  let fill = 0;
  let done = 0;
  const flush = (): void => {
    if (fill === 0) return;
    engine.importChunk({ chunk: block.subarray(0, fill), name });
    done += fill;
    // The importer may keep views of what it was given: the next block is fresh memory.
    block = new Uint8Array(BLOCK_BYTES);
    fill = 0;
    progress(done);
  };
  try {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      if (fill === 0 && value.length >= BLOCK_BYTES) {
        engine.importChunk({ chunk: value, name });
        done += value.length;
        progress(done);
        continue;
      }
      let at = 0;
      while (at < value.length) {
        const n = Math.min(value.length - at, BLOCK_BYTES - fill);
        block.set(value.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === BLOCK_BYTES) flush();
      }
    }
    flush();
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw e;
  }
  const end = engine.importEnd();
  return { rowCount: end.rowCount, bytes: done, truncated: end.truncated };
}
