/**
 * File > Save As and File > Export of the trace main has open, through the same services as the
 * CLI's `import` and `export`: the source is re-read (any supported input) and written batch by
 * batch into a temporary file that is renamed into place only when complete.
 */
import { extname } from 'node:path';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { exportCsv } from '../../renderer/engine/formats/csv/csv-export.js';
import type { Exporter } from '../../renderer/engine/formats/importer.js';
import { exportJsonl } from '../../renderer/engine/formats/jsonl/jsonl-export.js';
import { exportPcapng } from '../../renderer/engine/formats/pcap/pcapng-export.js';
import { openTrace } from '../services/input-file.js';
import { AtomicOutput } from '../services/output-file.js';

export const TRACE_EXTENSION = 'arrows';

export const EXPORT_FORMATS = {
  pcapng: { label: 'pcapng (Wireshark)', extension: 'pcapng', exporter: exportPcapng },
  jsonl: { label: 'JSON Lines', extension: 'jsonl', exporter: exportJsonl },
  csv: { label: 'CSV (seed layout)', extension: 'csv', exporter: exportCsv },
} as const satisfies Record<string, { label: string; extension: string; exporter: Exporter }>;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** The export format a chosen file name asks for (by its extension), or undefined. */
export function exportFormatOf(path: string): ExportFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  for (const [format, spec] of Object.entries(EXPORT_FORMATS)) if (spec.extension === ext) return format as ExportFormat;
  return undefined;
}

/** What a trace can be written as: the native trace, or one of the export formats. */
export type OutputFormat = typeof TRACE_EXTENSION | ExportFormat;

/** How far a conversion is, 0…1. */
export type ConvertProgress = (fraction: number) => void;

/** Share of an export's work that is reading the source (the rest is writing the format). */
const EXPORT_READ_SHARE = 0.7;

/**
 * Re-reads `source` (any supported input) and hands `format`'s bytes to `write` in order: a native
 * trace batch by batch as the importer seals them, an export once the events are in. Returns the
 * event count; `progress` hears how far it is (bytes of the source read, then rows exported).
 * Shared by Save As / Export (into a file) and the browser host's /export (a download).
 */
export async function convertTrace(source: string, format: OutputFormat, write: (chunk: Uint8Array) => void, progress?: ConvertProgress): Promise<number> {
  if (format === TRACE_EXTENSION) {
    let writer: TraceWriter | undefined;
    const { store } = await openTrace(source, {
      progress: (done, total) => progress?.(total > 0 ? done / total : 1),
      onBatch: (batch, s) => {
        writer ??= new TraceWriter(s, write);
        writer.writeBatch(batch);
      },
    });
    writer ??= new TraceWriter(store, write);
    writer.end();
    return store.rowCount;
  }
  const { store } = await openTrace(source, { progress: (done, total) => progress?.((total > 0 ? done / total : 1) * EXPORT_READ_SHARE) });
  EXPORT_FORMATS[format].exporter(store, undefined, write, (done, total) => progress?.(EXPORT_READ_SHARE + (total > 0 ? done / total : 1) * (1 - EXPORT_READ_SHARE)));
  progress?.(1);
  return store.rowCount;
}

/** Converts `source` into `target` through a temporary file renamed into place when complete. */
export async function convertInto(source: string, target: string, format: OutputFormat, progress?: ConvertProgress): Promise<number> {
  const out = new AtomicOutput(target);
  try {
    const count = await convertTrace(source, format, (chunk) => out.write(chunk), progress);
    out.commit();
    return count;
  } catch (e) {
    out.abort();
    throw e;
  }
}

/** Writes `source` (any supported input) as a native WireView trace at `target`; returns the event count. */
export function saveTraceAs(source: string, target: string): Promise<number> {
  return convertInto(source, target, TRACE_EXTENSION);
}

/** Exports every event of `source` to `target` in `format`; returns the event count. */
export function exportTrace(source: string, target: string, format: ExportFormat): Promise<number> {
  return convertInto(source, target, format);
}
