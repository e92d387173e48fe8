/**
 * Follows a live capture: every POLL_MS it asks the capture's status and takes the trace bytes
 * written since the last look from the capture's byte source (the browser host: `GET url?from=N`;
 * Electron: the flushes main posts on the live MessagePort), hands them to the engine (they are a
 * native trace stream: rows become queryable batch by batch), and shows the trace so far with the
 * timeline's window on all of it (live follow). Ends after the capture stops and its last bytes
 * are in.
 */
import type { CaptureStatus, HostApi } from '../../../electron/ipc/contract.js';
import type { OpenTrace, ViewStoreApi } from '../../state/view-store.js';
import type { EngineClient } from '../engine-client.js';

const POLL_MS = 100;
/** Longest wait for the last bytes after the capture stopped (Electron's port may lag its reply). */
const FINAL_WAIT_MS = 5000;
export const LIVE_TRACE_NAME = 'live capture';

/** Where a capture's trace bytes come from; `take` returns what arrived past `offset`, up to `upTo`. */
export interface CaptureBytes {
  take(offset: number, upTo: number, status: CaptureStatus): Promise<Uint8Array[]>;
}

/** The browser host: the bytes of its trace file over HTTP (cookie-authorised, same origin). */
export const fetchedBytes: CaptureBytes = {
  async take(offset, upTo, status) {
    const out: Uint8Array[] = [];
    while (offset < upTo) {
      const response = await fetch(`${status.url}?from=${offset}`, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(`live capture: the host answered ${response.status} ${response.statusText}`);
      const chunk = new Uint8Array(await response.arrayBuffer());
      if (chunk.length === 0) break;
      offset += chunk.length;
      out.push(chunk);
    }
    return out;
  },
};

/** Electron: flushes posted by main (in order), queued until the follower takes them. */
export class PostedBytes implements CaptureBytes {
  private queue: Uint8Array[] = [];

  push(bytes: ArrayBuffer): void {
    this.queue.push(new Uint8Array(bytes));
  }

  async take(): Promise<Uint8Array[]> {
    return this.queue.splice(0);
  }
}

export interface LiveFollow {
  /** Resolves once the capture has stopped and everything it wrote is in the engine. */
  readonly done: Promise<void>;
}

/** Starts following: `status` is the answer of capture.start; `onStatus` sees each later one. */
export function followCapture(host: HostApi, engine: EngineClient, view: ViewStoreApi, source: CaptureBytes, status: CaptureStatus, onStatus: (s: CaptureStatus) => void): LiveFollow {
  let offset = 0;
  let shownRows = -1;

  const pull = async (s: CaptureStatus): Promise<void> => {
    for (const chunk of await source.take(offset, s.traceBytes, s)) {
      offset += chunk.length;
      await engine.call('importChunk', { chunk, name: LIVE_TRACE_NAME }, [chunk.buffer]);
    }
  };
  const show = async (): Promise<void> => {
    const info = await engine.call('info', {});
    if (info.rowCount === shownRows || info.rowCount === 0 || info.baseNs === null) return;
    shownRows = info.rowCount;
    const trace: OpenTrace = { name: LIVE_TRACE_NAME, rowCount: info.rowCount, baseNs: info.baseNs, wallOffsetNs: info.meta.wallOffsetNs, firstTs: info.firstTs, lastTs: info.lastTs };
    view.getState().loaded(trace);
  };
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  const run = async (): Promise<void> => {
    let s = status;
    view.getState().startLoading(LIVE_TRACE_NAME, 0);
    for (;;) {
      await pull(s);
      await show();
      if (s.state === 'stopped' || s.state === 'idle') break;
      await sleep(POLL_MS);
      s = await host.call('capture.stats', {});
      onStatus(s);
    }
    for (const until = Date.now() + FINAL_WAIT_MS; offset < s.traceBytes && Date.now() < until; await sleep(20)) await pull(s);
    if (offset < s.traceBytes) throw new Error(`live capture: ${s.traceBytes - offset} bytes of the trace never arrived`);
    await engine.call('importEnd', {});
    await show();
    if (shownRows < 0) view.getState().failed('live capture: no events were captured');
  };
  return { done: run().catch((e: Error) => view.getState().failed(e.message)) };
}
