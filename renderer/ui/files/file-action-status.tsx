/**
 * Electron's File ▸ Save As… / Export… run in main; while one writes, main sends `file.progress`
 * events and this bar shows how far it is (a failure is told in one line by app.error, like the
 * other things main cannot do). The browser host's Save shows its own progress (save-control.tsx).
 */
import { useEffect, useState, type JSX } from 'react';
import type { EventOf } from '../../../electron/ipc/events.js';
import type { Host } from '../host-connect.js';

const VERBS = { save: 'Saving', export: 'Exporting' } as const;

export function FileActionStatus({ host }: { readonly host: Host }): JSX.Element | null {
  const [running, setRunning] = useState<EventOf<'file.progress'> | null>(null);
  useEffect(() => host.onDidProgressFile((event) => setRunning(event.done ? null : event)), [host]);
  if (!running) return null;
  const label = `${VERBS[running.action]} ${running.name}`;
  return (
    <div className="status-bar file-action" role="status" data-percent={running.percent}>
      <span>{label}…</span>
      <progress max={100} value={running.percent} aria-label={label} />
      <span>{running.percent} %</span>
    </div>
  );
}
