import { exportCsv } from '../../renderer/engine/formats/csv/csv-export.js';
import type { Exporter } from '../../renderer/engine/formats/importer.js';
import { exportJsonl } from '../../renderer/engine/formats/jsonl/jsonl-export.js';
import { exportPcapng } from '../../renderer/engine/formats/pcap/pcapng-export.js';
import { compileFilter, evaluateFilter } from '../../renderer/engine/filter/filter.js';
import type { RowMask } from '../../renderer/engine/query/row-mask.js';
import { openTrace } from '../services/input-file.js';
import { AtomicOutput } from '../services/output-file.js';
import { parseCommandArgs } from './args.js';
import { Progress } from './progress.js';
import { UsageError } from './usage.js';

const EXPORTERS: Record<string, Exporter> = { jsonl: exportJsonl, csv: exportCsv, pcapng: exportPcapng };

/** `wireview export FILE --format jsonl|csv|pcapng [--filter EXPR] [-o OUT]`. */
export async function exportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string', short: 'f' },
    filter: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) throw new UsageError('expects one input file: export FILE --format FORMAT');
  const format = values.format;
  if (typeof format !== 'string') throw new UsageError(`--format is required (${Object.keys(EXPORTERS).join(', ')})`);
  const exporter = EXPORTERS[format];
  if (!exporter) throw new UsageError(`unknown format '${format}' (${Object.keys(EXPORTERS).join(', ')})`);
  // A bad filter is reported before reading a possibly large file.
  let compiled: ReturnType<typeof compileFilter> | undefined;
  if (typeof values.filter === 'string') {
    try {
      compiled = compileFilter(values.filter);
    } catch (e) {
      const col = (e as { offset?: number }).offset;
      throw new UsageError(`--filter: ${(e as Error).message}${col === undefined ? '' : ` (column ${col})`}`);
    }
  }
  const outPath = typeof values.output === 'string' ? values.output : '-';
  const reading = new Progress(`reading ${input}`);
  const { store } = await openTrace(input, { progress: (d, t) => reading.update(d, t) });
  reading.done();
  const mask: RowMask | undefined = compiled ? evaluateFilter(store, compiled) : undefined;
  const out = new AtomicOutput(outPath);
  const writing = new Progress(`exporting ${format}`);
  exporter(store, mask, (chunk) => out.write(chunk), (d, t) => writing.update(d, t));
  out.commit();
  writing.done();
}
