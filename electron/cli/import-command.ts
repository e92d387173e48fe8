import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { openTrace } from '../services/input-file.js';
import { AtomicOutput } from '../services/output-file.js';
import { parseCommandArgs } from './args.js';
import { Progress, shortCount } from './progress.js';
import { UsageError } from './usage.js';

/** `wireview import IN -o OUT.arrows`: any input → native trace, batch by batch as it is read. */
export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, { output: { type: 'string', short: 'o' } });
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) throw new UsageError('expects one input file: import IN -o OUT.arrows');
  const outPath = values.output;
  if (typeof outPath !== 'string') throw new UsageError('-o OUT.arrows is required');
  const progress = new Progress(`importing ${input}`);
  const out = new AtomicOutput(outPath);
  let writer: TraceWriter | undefined;
  let events = 0;
  const { store } = await openTrace(input, {
    progress: (done, total) => progress.update(done, total, `(${shortCount(events)} events)`),
    onBatch: (batch, s) => {
      writer ??= new TraceWriter(s, (chunk) => out.write(chunk));
      writer.writeBatch(batch);
      events += batch.length;
    },
  });
  writer ??= new TraceWriter(store, (chunk) => out.write(chunk));
  writer.end();
  out.commit();
  progress.done();
  const cut = store.meta.truncated ? `; input cut short: ${store.meta.truncated.message}` : '';
  process.stderr.write(`${input}: ${store.rowCount} events written to ${outPath}${cut}\n`);
}
