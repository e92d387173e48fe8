/**
 * Feeds a trace's bytes to the engine worker as they arrive (from the host's /file, or a file
 * the user picked), in blocks of a few MiB: one block is imported while the next is read, so
 * reading and importing overlap, and memory stays bounded (two blocks). The progress bar follows
 * the bytes the engine has taken.
 */
import type { OpenTrace, ViewStoreApi } from '../state/view-store.js';
import type { EngineClient } from './engine-client.js';

const BLOCK_BYTES = 4 << 20;

/** Streams `body` into `engine`, then reads back what the trace holds. */
export async function importStream(engine: EngineClient, view: ViewStoreApi, name: string, total: number, body: ReadableStream<Uint8Array>): Promise<void> {
  view.getState().startLoading(name, total);
  try {
    const reader = body.getReader();
    let block = new Uint8Array(BLOCK_BYTES);
    let fill = 0;
    let done = 0;
    /** The block the engine is importing, if any, and how that failed. */
    let importing: Promise<void> = Promise.resolve();
    let failure: unknown;
    const flush = async (): Promise<void> => {
      if (fill === 0) return;
      const chunk = block.subarray(0, fill);
      block = new Uint8Array(BLOCK_BYTES);
      fill = 0;
      await importing;
      importing = engine.call('importChunk', { chunk, name }, [chunk.buffer]).then(() => {
        done += chunk.length;
        view.getState().progress(done);
      });
      importing.catch((e: unknown) => {
        failure ??= e;
      });
    };
    for (;;) {
      // A refused block stops the reading at once (its error is reported below).
      if (failure !== undefined) {
        await reader.cancel();
        break;
      }
      const { value, done: end } = await reader.read();
      if (end) break;
      let at = 0;
      while (at < value.length) {
        const n = Math.min(value.length - at, BLOCK_BYTES - fill);
        block.set(value.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === BLOCK_BYTES) await flush();
      }
    }
    await flush();
    await importing;
    await engine.call('importEnd', {});
    const info = await engine.call('info', {});
    const empty = info.rowCount === 0 || info.baseNs === null;
    const trace: OpenTrace = {
      name,
      rowCount: info.rowCount,
      baseNs: info.baseNs ?? 0n,
      wallOffsetNs: info.meta.wallOffsetNs,
      firstTs: empty ? 0 : info.firstTs,
      lastTs: empty ? 1e9 : info.lastTs,
    };
    view.getState().loaded(trace);
  } catch (e) {
    view.getState().failed(`${name}: ${(e as Error).message}`);
  }
}

/** Opens the file the host was started with (`GET url`, same origin, cookie-authorised). */
export async function importFromHost(engine: EngineClient, view: ViewStoreApi, file: { name: string; bytes: number; url: string }): Promise<void> {
  const response = await fetch(file.url, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok || !response.body) {
    view.getState().failed(`${file.name}: the host answered ${response.status} ${response.statusText}`);
    return;
  }
  await importStream(engine, view, file.name, file.bytes, response.body);
}

/** Opens a file the user picked or dropped (read in the page; nothing goes to the host). */
export function importLocalFile(engine: EngineClient, view: ViewStoreApi, file: File): Promise<void> {
  return importStream(engine, view, file.name, file.size, file.stream());
}
