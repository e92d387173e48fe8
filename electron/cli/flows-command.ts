import { compileFilter } from '../../renderer/engine/filter/filter.js';
import { buildFlows } from '../../renderer/engine/flows/build.js';
import { flowJson } from '../../renderer/engine/flows/flow-json.js';
import type { FlowSummary } from '../../renderer/engine/flows/types.js';
import { jsonText } from '../../renderer/engine/values/json-text.js';
import { openTrace } from '../services/input-file.js';
import { parseCommandArgs } from './args.js';
import { Progress } from './progress.js';
import { UsageError } from './usage.js';

const ms = (ns: number | null): string => (ns === null ? '-' : (ns / 1e6).toFixed(3));

function diagnosis(f: FlowSummary): string {
  const h = f.handshake;
  const parts: string[] = [h.status];
  if (h.status === 'refused' && h.reset) parts[0] = `refused by ${h.reset.by}`;
  if (h.synRetransmits) parts.push(`${h.synRetransmits} SYN retx`);
  if (h.synackRetransmits) parts.push(`${h.synackRetransmits} SYN-ACK retx`);
  if (h.simultaneousOpen) parts.push('simultaneous open');
  if (h.halfOpen) parts.push('half-open');
  if (h.slow) parts.push('slow');
  const end = f.teardown.reset ? `rst by ${f.teardown.reset.by}` : f.teardown.end;
  return `${parts.join(', ')}; ${end}`;
}

/** The human table: one line per flow. */
function table(flows: readonly FlowSummary[]): string {
  const head = ['client', 'server', 'start s', 'dur ms', 'pkts', 'bytes c→s', 'bytes s→c', 'retx', 'rtt ms', 'process', 'diagnosis'];
  const rows = flows.map((f) => [
    `${f.client.addr}:${f.client.port}`,
    `${f.server.addr}:${f.server.port}`,
    (f.firstTs / 1e9).toFixed(6),
    ms(f.lastTs - f.firstTs),
    String(f.packets),
    String(f.bytesToServer),
    String(f.bytesToClient),
    String(f.retransmissions),
    ms(f.handshake.rttNs),
    f.pid === null ? '-' : `${f.comm ?? ''}[${f.pid}]`,
    diagnosis(f),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n${flows.length} flow${flows.length === 1 ? '' : 's'}\n`;
}

/** `wireview flows FILE [--json] [--filter EXPR]`: the TCP connections of a trace with their diagnosis. */
export async function flowsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, filter: { type: 'string' } });
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) throw new UsageError('expects one input file: flows FILE [--json] [--filter EXPR]');
  const filter = typeof values.filter === 'string' ? values.filter : undefined;
  if (filter !== undefined) {
    try {
      compileFilter(filter);
    } catch (e) {
      const col = (e as { offset?: number }).offset;
      throw new UsageError(`--filter: ${(e as Error).message}${col === undefined ? '' : ` (column ${col})`}`);
    }
  }
  const reading = new Progress(`reading ${input}`);
  const { store } = await openTrace(input, { progress: (d, t) => reading.update(d, t) });
  reading.done();
  const flows = buildFlows(store);
  const ids = flows.ids({ filter });
  if (values.json) {
    // one summary object at a time: a table of many flows keeps its summaries as columns
    const base = store.baseNs ?? 0n;
    process.stdout.write(ids.map((k) => `${jsonText(flowJson(flows.flow(k)!, base))}\n`).join(''));
  } else {
    process.stdout.write(table(ids.map((k) => flows.flow(k)!)));
  }
}
