/**
 * `GET /export?source=file|capture&format=arrows|pcapng|jsonl|csv`: the browser host's Save and
 * Export. The host re-reads its open file (or the last capture's trace, once stopped) and streams
 * it converted, as a download; the page shows the bytes as they arrive and saves them. Electron
 * does the same from its File menu into a file the user picks (electron/main/file-actions.ts).
 */
import { basename, extname } from 'node:path';
import type { CaptureStatus } from '../ipc/contract.js';
import { convertTrace, EXPORT_FORMATS, TRACE_EXTENSION, type OutputFormat } from '../main/file-actions.js';

export const EXPORT_PATH = '/export';

export type ExportAnswer = { readonly status: number; readonly message: string } | { readonly name: string; write(sink: (chunk: Uint8Array) => void): Promise<number> };

export interface ExportSources {
  /** The file the host serves at /file, or null. */
  readonly file: string | null;
  readonly capture: { readonly tracePath: string | undefined; status(): CaptureStatus };
}

const FORMATS: readonly OutputFormat[] = [TRACE_EXTENSION, ...(Object.keys(EXPORT_FORMATS) as (keyof typeof EXPORT_FORMATS)[])];

function extensionOf(format: OutputFormat): string {
  return format === TRACE_EXTENSION ? TRACE_EXTENSION : EXPORT_FORMATS[format].extension;
}

/** Checks the query and names what to convert; a refusal says why in one line. */
export async function serveExport(query: URLSearchParams, sources: ExportSources): Promise<ExportAnswer> {
  const format = query.get('format') as OutputFormat | null;
  if (!format || !FORMATS.includes(format)) return { status: 400, message: `format: expected one of ${FORMATS.join(', ')}` };
  const source = query.get('source');
  let path: string | null | undefined;
  if (source === 'file') path = sources.file;
  else if (source === 'capture') {
    const state = sources.capture.status().state;
    if (state !== 'stopped') return { status: 409, message: state === 'idle' ? 'no capture to save' : 'stop the capture before saving it' };
    path = sources.capture.tracePath;
  } else return { status: 400, message: 'source: expected file or capture' };
  if (!path) return { status: 404, message: 'nothing is open to save' };
  const stem = basename(path, extname(path));
  const from = path;
  return { name: `${stem}.${extensionOf(format)}`, write: (sink) => convertTrace(from, format, sink) };
}
