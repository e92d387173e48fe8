/**
 * The welcome screen, shown while nothing is open: Start capture, Open file, the host's recent
 * files, and Open sample — a small trace recorded from real traffic and shipped with the app, so
 * a first-time user sees WireView working before granting any privileges.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import type { OpenedFile, ReplyOf } from '../../../electron/ipc/contract.js';
import type { CaptureController } from '../capture/capture-controller.js';
import type { Host } from '../host-connect.js';

export interface WelcomeProps {
  readonly host: Host | null;
  readonly capture: CaptureController | null;
  /** Opens a file the user picked in the page. */
  readonly onOpenFile: (file: File) => void;
  /** Opens a file the host serves (the sample, a recent file). */
  readonly onOpenHostFile: (file: OpenedFile) => void;
  readonly onError: (message: string) => void;
}

type RecentFile = ReplyOf<'file.recent'>['files'][number];

export function Welcome({ host, capture, onOpenFile, onOpenHostFile, onError }: WelcomeProps): JSX.Element {
  const [recent, setRecent] = useState<readonly RecentFile[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!host) return;
    host.call('file.recent', {}).then(
      (r) => setRecent(r.files),
      () => setRecent([]),
    );
  }, [host]);

  const fromHost = (ask: () => Promise<OpenedFile>): void => {
    ask().then(onOpenHostFile, (e: Error) => onError(e.message));
  };

  return (
    <section className="welcome" aria-label="Welcome">
      <h2>See what your network stack does</h2>
      <p>Capture live with eBPF, or open a WireView trace, a pcap or pcapng capture, or a seed CSV file — or drop one here.</p>
      <div className="welcome-actions">
        {capture && (
          <button type="button" onClick={() => void capture.start()}>
            ● Start capture
          </button>
        )}
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open file…
        </button>
        <input ref={fileInput} type="file" hidden aria-label="File to open from the welcome screen" onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onOpenFile(file);
          e.target.value = '';
        }} />
        {host && (
          <button type="button" onClick={() => fromHost(() => host.call('file.openSample', {}))}>
            Open sample
          </button>
        )}
      </div>
      {host && (
        <p className="welcome-sample-note">The sample is a few seconds of real loopback traffic: a connection that succeeds, one refused, one timing out, and a DNS lookup.</p>
      )}
      {recent.length > 0 && host && (
        <nav aria-label="Recent files">
          <h3>Recent files</h3>
          <ul>
            {recent.map((f) => (
              <li key={f.path}>
                <button type="button" className="link" title={f.path} onClick={() => fromHost(() => host.call('file.openRecent', { path: f.path }))}>
                  {f.name}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </section>
  );
}
