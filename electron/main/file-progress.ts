/**
 * File ▸ Save As… and Export… as main runs them: the conversion (file-actions.ts, the same code as
 * the browser host's /export) into the chosen file, with `file.progress` events for the page's
 * progress bar — at the start, at most every PROGRESS_EVERY_MS, and `done` at the end, also after
 * a failure — and a failure told in one line. No Electron import: main.ts wires `emit` and
 * `fail` to the window, tests call it directly.
 */
import { basename } from 'node:path';
import type { EventOf } from '../ipc/events.js';
import { convertInto, type OutputFormat } from './file-actions.js';

export type FileProgressEvent = EventOf<'file.progress'>;
export type FileAction = FileProgressEvent['action'];

/** Least time between two progress events, ms. */
export const PROGRESS_EVERY_MS = 100;

const ACTION_NAMES: Readonly<Record<FileAction, string>> = { save: 'Save As', export: 'Export' };

/** The first line of a message (a user never sees a stack or a multi-line dump). */
function oneLine(message: string): string {
  return message.split('\n', 1)[0]!.trim();
}

/**
 * Writes `source` as `format` into `target`; `emit` gets the progress events, `fail` the
 * one-line message of a failure (then nothing is left at `target`). Resolves with the event count,
 * or null after a failure.
 */
export async function runFileAction(
  action: FileAction,
  source: string,
  target: string,
  format: OutputFormat,
  emit: (event: FileProgressEvent) => void,
  fail: (message: string) => void,
  now: () => number = () => performance.now(),
): Promise<number | null> {
  const name = basename(target).slice(0, 512);
  let last = now();
  let shown = 0;
  emit({ action, name, percent: 0, done: false });
  const progress = (fraction: number): void => {
    const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    if (percent <= shown || now() - last < PROGRESS_EVERY_MS) return;
    last = now();
    shown = percent;
    emit({ action, name, percent, done: false });
  };
  try {
    const count = await convertInto(source, target, format, progress);
    emit({ action, name, percent: 100, done: true });
    return count;
  } catch (e) {
    emit({ action, name, percent: shown, done: true });
    fail(`${ACTION_NAMES[action]}: ${oneLine((e as Error).message)}`);
    return null;
  }
}
