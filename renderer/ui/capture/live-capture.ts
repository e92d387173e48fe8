/**
 * Follows a live capture of the browser host: every POLL_MS it asks the capture's status and
 * fetches the trace bytes written since the last look (`GET url?from=N`), hands them to the engine
 * (they are a native trace stream: rows become queryable batch by batch), and shows the trace so
 * far with the timeline's window on all of it (live follow). Ends after the capture stops and its
 * last bytes are in.
 */
import type { CaptureStatus } from '../../../electron/ipc/contract.js';
import type { OpenTrace, ViewStoreApi } from '../../state/view-store.js';
import type { EngineClient } from '../engine-client.js';
import type { Host } from '../host-connect.js';

const POLL_MS = 100;
const NAME = 'live capture';

export interface LiveFollow {
  /** Resolves once the capture has stopped and everything it wrote is in the engine. */
  readonly done: Promise<void>;
}

/** Starts following: `status` is the answer of capture.start; `onStatus` sees each later one. */
export function followCapture(host: Host, engine: EngineClient, view: ViewStoreApi, status: CaptureStatus, onStatus: (s: CaptureStatus) => void): LiveFollow {
  let offset = 0;
  let shownRows = -1;

  const pull = async (s: CaptureStatus): Promise<void> => {
    while (offset < s.traceBytes) {
      const response = await fetch(`${s.url}?from=${offset}`, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(`live capture: the host answered ${response.status} ${response.statusText}`);
      const chunk = new Uint8Array(await response.arrayBuffer());
      if (chunk.length === 0) break;
      offset += chunk.length;
      await engine.call('importChunk', { chunk, name: NAME }, [chunk.buffer]);
    }
  };
  const show = async (): Promise<void> => {
    const info = await engine.call('info', {});
    if (info.rowCount === shownRows || info.rowCount === 0 || info.baseNs === null) return;
    shownRows = info.rowCount;
    const trace: OpenTrace = { name: NAME, rowCount: info.rowCount, baseNs: info.baseNs, wallOffsetNs: info.meta.wallOffsetNs, firstTs: info.firstTs, lastTs: info.lastTs };
    view.getState().loaded(trace);
  };

  const run = async (): Promise<void> => {
    let s = status;
    view.getState().startLoading(NAME, 0);
    for (;;) {
      await pull(s);
      await show();
      if (s.state === 'stopped' || s.state === 'idle') break;
      await new Promise((r) => setTimeout(r, POLL_MS));
      s = await host.call('capture.stats', {});
      onStatus(s);
    }
    await pull(s);
    await engine.call('importEnd', {});
    await show();
    if (shownRows < 0) view.getState().failed('live capture: no events were captured');
  };
  return { done: run().catch((e: Error) => view.getState().failed(e.message)) };
}
