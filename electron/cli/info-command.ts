import { EVENTS, PRIORITIES } from '../../renderer/engine/model/events.js';
import { batchEvents, batchTimes } from '../../renderer/engine/store/batch.js';
import type { EventStore } from '../../renderer/engine/store/event-store.js';
import { jsonText } from '../../renderer/engine/values/json-text.js';
import { isoMicros } from '../../renderer/engine/values/time.js';
import { openTrace } from '../services/input-file.js';
import { parseCommandArgs } from './args.js';
import { Progress } from './progress.js';
import { UsageError } from './usage.js';

/** The `info --json` object (docs/json.md). */
export interface TraceInfo {
  file: string;
  format: string;
  events: number;
  first_ts_ns?: bigint;
  last_ts_ns?: bigint;
  first_time?: string;
  last_time?: string;
  by_event: Record<string, number>;
  by_class: Record<string, number>;
  by_priority: Record<string, number>;
  lost: number;
  sources: { kind: string; name: string }[];
  truncated?: { at_byte: number; message: string };
}

export function summarize(store: EventStore, file: string, format: string): TraceInfo {
  const perEvent = new Float64Array(EVENTS.length);
  let min = Infinity;
  let max = -Infinity;
  for (const batch of store.batches) {
    const ev = batchEvents(batch);
    const ts = batchTimes(batch);
    for (let i = 0; i < batch.length; i++) {
      perEvent[ev[i]!]!++;
      const t = ts[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  const info: TraceInfo = { file, format, events: store.rowCount, by_event: {}, by_class: {}, by_priority: {}, lost: store.meta.lost, sources: store.meta.sources };
  EVENTS.forEach((def, i) => {
    const n = perEvent[i]!;
    if (n === 0) return;
    info.by_event[def.id] = n;
    info.by_class[def.class] = (info.by_class[def.class] ?? 0) + n;
    const p = PRIORITIES[def.priority - 1]!;
    info.by_priority[p] = (info.by_priority[p] ?? 0) + n;
  });
  if (store.rowCount > 0 && store.baseNs !== undefined) {
    info.first_ts_ns = store.baseNs + BigInt(min);
    info.last_ts_ns = store.baseNs + BigInt(max);
    info.first_time = isoMicros(info.first_ts_ns + store.meta.wallOffsetNs);
    info.last_time = isoMicros(info.last_ts_ns + store.meta.wallOffsetNs);
  }
  if (store.meta.truncated) info.truncated = { at_byte: store.meta.truncated.atByte, message: store.meta.truncated.message };
  return info;
}

function text(info: TraceInfo): string {
  const lines = [`file:      ${info.file} (${info.format})`, `events:    ${info.events}`];
  if (info.first_time) lines.push(`first:     ${info.first_time}`, `last:      ${info.last_time}`);
  if (info.first_ts_ns !== undefined && info.last_ts_ns !== undefined) {
    lines.push(`duration:  ${(Number(info.last_ts_ns - info.first_ts_ns) / 1e9).toFixed(6)} s`);
  }
  lines.push(`lost:      ${info.lost}`);
  if (info.truncated) lines.push(`truncated: ${info.truncated.message}`);
  const table = (title: string, counts: Record<string, number>): void => {
    lines.push(`${title}:`);
    for (const [k, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) lines.push(`  ${k.padEnd(22)} ${n}`);
  };
  table('by class', info.by_class);
  table('by priority', info.by_priority);
  table('by event', info.by_event);
  return `${lines.join('\n')}\n`;
}

/** `wireview info FILE [--json]`. */
export async function infoCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) throw new UsageError('expects one input file: info FILE [--json]');
  const progress = new Progress(`reading ${input}`);
  const { store, kind } = await openTrace(input, { progress: (d, t) => progress.update(d, t) });
  progress.done();
  const info = summarize(store, input, kind);
  if (values.json) {
    process.stdout.write(`${jsonText(info)}\n`);
  } else {
    process.stdout.write(text(info));
  }
}
