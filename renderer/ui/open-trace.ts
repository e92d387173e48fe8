/**
 * Opens a trace: the page reads it (the host's file with fetch, a file the user picked or dropped
 * with File.stream) and hands each piece to the engine worker as it arrives (transferred, not
 * copied), reading up to AHEAD_BYTES ahead of the import, so the source is drained while the
 * worker imports. The progress bar follows the bytes imported, then the page reads back what the
 * trace holds. (A worker reading the host's file itself was 3–22% slower to first paint: see
 * docs/app.md, "Opening a trace".)
 */
import type { OpenTrace, ViewStoreApi } from '../state/view-store.js';
import { EngineStoppedError, type EngineClient } from './engine-client.js';

/** Measured in the page's performance timeline for each open: asked → every byte imported (the UI bench reads it). */
export const OPEN_MEASURE = 'wireview:open';

/** Most bytes handed to the engine and not yet imported. */
export const AHEAD_BYTES = 16 << 20;

/** What the feeding needs of the engine: its importChunk. */
export type ChunkImporter = Pick<EngineClient, 'call'>;

/**
 * Hands `body` to `engine` piece by piece (importChunk), at most AHEAD_BYTES ahead of what it has
 * imported; `progress(bytes imported)`. The first refused piece cancels the reading and throws.
 */
export async function feedStream(engine: ChunkImporter, name: string, body: ReadableStream<Uint8Array>, progress: (bytes: number) => void): Promise<void> {
  const reader = body.getReader();
  const pending: { readonly imported: Promise<unknown>; readonly bytes: number }[] = [];
  let ahead = 0;
  let done = 0;
  const settleOldest = async (): Promise<void> => {
    const oldest = pending.shift()!;
    await oldest.imported;
    ahead -= oldest.bytes;
  };
  try {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      // Transferred to the worker: a piece that is a view into a larger buffer is copied first.
      const chunk = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice();
      const bytes = chunk.length;
      // The worker answers in order: progress follows each piece as it is imported.
      const imported = engine.call('importChunk', { chunk, name }, [chunk.buffer]).then(() => progress((done += bytes)));
      imported.catch(() => undefined); // its failure is taken when it is settled, in order
      pending.push({ imported, bytes });
      ahead += bytes;
      while (ahead > AHEAD_BYTES) await settleOldest();
    }
    while (pending.length > 0) await settleOldest();
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw e;
  }
}

/** Feeds `body` into `engine` (feedStream), then ends the import. */
async function load(engine: EngineClient, name: string, body: ReadableStream<Uint8Array>, progress: (bytes: number) => void): Promise<void> {
  await feedStream(engine, name, body, progress);
  await engine.call('importEnd', {});
}

/** Fetches the host's file (`GET url`, same origin, cookie-authorised) into `engine`, then ends the import. */
async function loadFromHost(engine: EngineClient, name: string, url: string, progress: (bytes: number) => void): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok || !response.body) throw new Error(`the host answered ${response.status} ${response.statusText}`.trimEnd());
  await load(engine, name, response.body, progress);
}

/** Loads a trace into `engine` with `load` (`total` bytes, for the progress bar) and shows it. */
async function openTrace(engine: EngineClient, view: ViewStoreApi, name: string, total: number, load: (progress: (bytes: number) => void) => Promise<unknown>): Promise<void> {
  view.getState().startLoading(name, total);
  try {
    const start = performance.now();
    await load((done) => view.getState().progress(done));
    performance.measure(OPEN_MEASURE, { start, end: performance.now() });
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
    // Replaced by another open (its engine stopped): that open owns the view now.
    if (e instanceof EngineStoppedError) return;
    const message = (e as Error).message;
    // Some importers name the file themselves: it is said once.
    view.getState().failed(message.startsWith(`${name}: `) ? message : `${name}: ${message}`);
  }
}

/** Opens a file the host serves. */
export function importFromHost(engine: EngineClient, view: ViewStoreApi, file: { name: string; bytes: number; url: string }): Promise<void> {
  return openTrace(engine, view, file.name, file.bytes, (progress) => loadFromHost(engine, file.name, file.url, progress));
}

/** Opens a file the user picked or dropped (read in the page, imported in the engine worker; nothing goes to the host). */
export function importLocalFile(engine: EngineClient, view: ViewStoreApi, file: File): Promise<void> {
  return openTrace(engine, view, file.name, file.size, (progress) => load(engine, file.name, file.stream(), progress));
}
