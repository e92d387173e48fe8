/**
 * The capture bar: Start/Stop of a live capture on the host, the records received so far and a
 * loss indicator (records the kernel dropped because the ring buffer was full). Starting gives
 * the capture a fresh engine, which followCapture fills as the host writes the trace.
 */
import { useState, type JSX } from 'react';
import type { CaptureStatus } from '../../../electron/ipc/contract.js';
import type { ViewStoreApi } from '../../state/view-store.js';
import type { EngineClient } from '../engine-client.js';
import type { Host } from '../host-connect.js';
import { followCapture } from './live-capture.js';

const FORMAT = new Intl.NumberFormat('en-US');

export interface CaptureBarProps {
  readonly host: Host;
  readonly view: ViewStoreApi;
  /** Replaces the page's engine with a fresh one for the capture and returns it. */
  readonly freshEngine: () => EngineClient;
}

export function CaptureBar({ host, view, freshEngine }: CaptureBarProps): JSX.Element {
  const [status, setStatus] = useState<CaptureStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const running = status?.state === 'running' || status?.state === 'paused' || status?.state === 'helper-lost';

  const start = async (): Promise<void> => {
    setBusy(true);
    try {
      const started = await host.call('capture.start', {});
      setStatus(started);
      followCapture(host, freshEngine(), view, started, setStatus);
    } catch (e) {
      view.getState().failed(`Capture could not start: ${(e as Error).message}. Capture needs root or the capture helper's privileges (docs/capture.md).`);
    } finally {
      setBusy(false);
    }
  };
  const stop = async (): Promise<void> => {
    setBusy(true);
    try {
      setStatus(await host.call('capture.stop', {}));
    } catch (e) {
      view.getState().failed(`Capture could not stop: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="capture-bar" aria-label="Capture" role="toolbar" data-state={status?.state ?? 'idle'}>
      {running ? (
        <button type="button" disabled={busy} onClick={() => void stop()}>
          ■ Stop capture
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={() => void start()}>
          ● Start capture
        </button>
      )}
      {status && (
        <span className="capture-records" data-records={status.records} aria-live="polite">
          {FORMAT.format(status.records)} records
        </span>
      )}
      {status && status.lost > 0 && (
        <span className="capture-loss" data-lost={status.lost} title="Records the kernel dropped: its ring buffer was full">
          ⚠ {FORMAT.format(status.lost)} lost
        </span>
      )}
    </div>
  );
}
