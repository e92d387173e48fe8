/**
 * The capture bar: Start / Pause / Resume / Stop of a live capture on the host, Options…, the
 * records received so far and a loss indicator (records the kernel dropped because its ring
 * buffer was full; the timeline marks where). Errors of the helper show under the header, in
 * words, with how to grant the privileges when that is what is missing.
 */
import type { JSX } from 'react';
import { useStore } from 'zustand';
import { GRANT_STEPS, needsPrivileges, type CaptureController } from './capture-controller.js';

const FORMAT = new Intl.NumberFormat('en-US');

export function CaptureBar({ controller }: { readonly controller: CaptureController }): JSX.Element {
  const status = useStore(controller.store, (s) => s.status);
  const busy = useStore(controller.store, (s) => s.busy);
  const state = status?.state ?? 'idle';
  const active = state === 'running' || state === 'paused' || state === 'helper-lost';

  return (
    <div className="capture-bar" aria-label="Capture" role="toolbar" data-state={state}>
      {active ? (
        <>
          {state === 'running' ? (
            <button type="button" disabled={busy} onClick={() => void controller.pause()}>
              ❚❚ Pause
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => void controller.resume()}>
              ▶ Resume
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => void controller.stop()}>
            ■ Stop capture
          </button>
        </>
      ) : (
        <button type="button" disabled={busy} onClick={() => void controller.start()}>
          ● Start capture
        </button>
      )}
      <button type="button" onClick={() => controller.openOptions()} aria-haspopup="dialog">
        Options…
      </button>
      {status && (
        <span className="capture-records" data-records={status.records} aria-live="polite">
          {state === 'paused' ? 'paused · ' : ''}
          {FORMAT.format(status.records)} records
        </span>
      )}
      {status && status.lost > 0 && (
        <span className="capture-loss" data-lost={status.lost} role="status" title="Records the kernel dropped because its ring buffer was full; the timeline marks where">
          ⚠ {FORMAT.format(status.lost)} lost
        </span>
      )}
    </div>
  );
}

/** The last capture error, in words; with the ways to grant privileges when those are missing. */
export function CaptureError({ controller }: { readonly controller: CaptureController }): JSX.Element | null {
  const error = useStore(controller.store, (s) => s.error);
  if (!error) return null;
  const privileges = needsPrivileges(error);
  // The helper's own hint lists the same ways in one line: the list below says it more readably.
  const text = privileges ? error.replace(/live capture needs privileges:.*$/s, 'live capture needs privileges.') : error;
  return (
    <div className="capture-error" role="alert">
      <p>{text}</p>
      {privileges && (
        <>
          <p>Live capture needs privileges for its helper process (WireView itself never runs as root):</p>
          <ul>
            {GRANT_STEPS.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" onClick={() => controller.store.getState().setError(null)}>
        Dismiss
      </button>
    </div>
  );
}
