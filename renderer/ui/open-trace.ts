/**
 * Opens a trace: the engine worker reads it itself (the host's /file, or a File the user picked;
 * engine/stream-open.ts) and imports it block by block, telling the bytes taken for the progress
 * bar; then the page reads back what the trace holds. No file byte passes through the page.
 */
import type { OpenSource } from '../engine/stream-open.js';
import type { OpenTrace, ViewStoreApi } from '../state/view-store.js';
import type { EngineClient } from './engine-client.js';

/** Measured in the page's performance timeline for each open: asked → every byte imported (the UI bench reads it). */
export const OPEN_MEASURE = 'wireview:open';

/** Imports `source` (`total` bytes, for the progress bar) into `engine` and shows it. */
export async function openTrace(engine: EngineClient, view: ViewStoreApi, source: OpenSource, total: number): Promise<void> {
  const { name } = source;
  view.getState().startLoading(name, total);
  try {
    const start = performance.now();
    await engine.open(source, (done) => view.getState().progress(done));
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
    const message = (e as Error).message;
    // Some importers name the file themselves: it is said once.
    view.getState().failed(message.startsWith(`${name}: `) ? message : `${name}: ${message}`);
  }
}

/** Opens a file the host serves (`GET url`, same origin, cookie-authorised). */
export function importFromHost(engine: EngineClient, view: ViewStoreApi, file: { name: string; bytes: number; url: string }): Promise<void> {
  return openTrace(engine, view, { name: file.name, url: file.url }, file.bytes);
}

/** Opens a file the user picked or dropped (read in the engine worker; nothing goes to the host). */
export function importLocalFile(engine: EngineClient, view: ViewStoreApi, file: File): Promise<void> {
  return openTrace(engine, view, { name: file.name, file }, file.size);
}
