import { EVENTS, type EventClass, type PriorityName } from '../../renderer/engine/model/events.js';
import { compileFilter } from '../../renderer/engine/filter/filter.js';
import type { ProbeReport } from '../native/capture-addon.js';
import { nativeConfig, type AddressRule, type CaptureFilter, type FilterDirection, type FilterType, type PortRule } from '../native/capture-config.js';
import { HelperClient } from '../services/capture-helper-client.js';
import { CaptureSession, type SessionStats } from '../services/capture-session.js';
import { HelperLaunchError } from '../services/helper-launcher.js';
import type { ArgValues } from './args.js';
import { parseCommandArgs } from './args.js';
import { RestartBudget } from './restart-budget.js';
import { UsageError } from './usage.js';

/** Tries in a row to restart a helper that died, before the CLI gives up. */
const MAX_RESTARTS = 3;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  duration: { type: 'string' },
  classes: { type: 'string' },
  priority: { type: 'string' },
  enable: { type: 'string', multiple: true },
  disable: { type: 'string', multiple: true },
  addr: { type: 'string', multiple: true },
  port: { type: 'string', multiple: true },
  pid: { type: 'string', multiple: true },
  comm: { type: 'string', multiple: true },
  filter: { type: 'string' },
  'reverse-dns': { type: 'boolean' },
  probe: { type: 'boolean' },
} as const;

const list = (v: ArgValues[string]): string[] => (v === undefined || typeof v === 'boolean' ? [] : [v].flat().flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

/** `src|dst:in|out|both:VALUE` → type, direction and the rest (which may hold colons: IPv6). */
function typedRule(option: string, text: string): { type: FilterType; direction: FilterDirection; value: string } {
  const m = /^(src|dst):(in|out|both):(.+)$/.exec(text);
  if (!m) throw new UsageError(`--${option} ${text}: expected src|dst:in|out:VALUE`);
  return { type: m[1] as FilterType, direction: m[2] as FilterDirection, value: m[3]! };
}

function portRule(text: string): PortRule {
  const { type, direction, value } = typedRule('port', text);
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  const from = Number(m?.[1]);
  const to = m?.[2] === undefined ? from : Number(m[2]);
  if (!m || from > 65535 || to > 65535 || to < from) throw new UsageError(`--port ${text}: expected PORT or PORT-PORT (0-65535, low first)`);
  return { type, direction, from, to };
}

/** The kernel-side filter the options describe; every mistake is a one-line UsageError. */
export function captureFilterOf(values: ArgValues): CaptureFilter {
  const filter: { -readonly [K in keyof CaptureFilter]?: Exclude<CaptureFilter[K], undefined> } = {};
  if (values.classes !== undefined) filter.classes = list(values.classes) as EventClass[];
  if (typeof values.priority === 'string') filter.priority = /^\d+$/.test(values.priority) ? Number(values.priority) : (values.priority.toUpperCase() as PriorityName);
  if (values.enable !== undefined) filter.enable = list(values.enable);
  if (values.disable !== undefined) filter.disable = list(values.disable);
  filter.addrs = list(values.addr).map((text): AddressRule => {
    const { type, direction, value } = typedRule('addr', text);
    return { type, direction, cidr: value };
  });
  filter.ports = list(values.port).map(portRule);
  filter.pids = list(values.pid).map((p) => {
    if (!/^\d+$/.test(p)) throw new UsageError(`--pid ${p}: expected a process id`);
    return Number(p);
  });
  filter.comms = list(values.comm);
  try {
    nativeConfig(filter);
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/^Expected /, 'expected ')}`);
  }
  return filter;
}

function durationOf(v: ArgValues[string]): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n <= 0 || n > 366 * 86400) throw new UsageError(`--duration ${String(v)}: expected seconds (a positive number)`);
  return n;
}

/** `wireview capture --probe`: which source each event uses on this kernel, or why none. */
async function probeCommand(): Promise<void> {
  const helper = new HelperClient({ onFrame: () => undefined });
  let report: ProbeReport;
  try {
    report = await helper.request<ProbeReport>({ cmd: 'probe' });
  } catch (e) {
    throw new HelperLaunchError((e as Error).message);
  } finally {
    await helper.close();
  }
  const lines = ['features:'];
  for (const [name, f] of Object.entries(report.features)) lines.push(`  ${name.padEnd(12)} ${f.ok ? 'yes' : `no: ${f.why ?? ''}`}`);
  lines.push('', `${'event'.padEnd(22)} source on this kernel`);
  const width = Math.max(...EVENTS.map((e) => e.id.length)) + 2;
  for (const e of report.events) lines.push(`${e.id.padEnd(Math.max(width, 22))} ${e.sources.length > 0 ? e.sources.join(', ') : `none: ${e.why ?? 'no source'}`}`);
  if (report.refused.length > 0) lines.push('', "refused by this kernel's verifier (the next source is used):", ...report.refused.map((r) => `  ${r}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

function summary(path: string, s: SessionStats): string {
  const filtered = s.filteredOut > 0 ? `, ${s.filteredOut} dropped by --filter` : '';
  const gaps = s.gaps > 0 ? `, ${s.gaps} gap${s.gaps > 1 ? 's' : ''} (helper restarted)` : '';
  return `${path}: ${s.written} events written (${s.records} records received, ${s.lost} lost${filtered}${gaps})\n`;
}

/** Waits for the first of: the duration, SIGINT/SIGTERM, or a helper that cannot be restarted. */
async function runUntilDone(session: CaptureSession, durationSec: number | undefined): Promise<string | undefined> {
  return new Promise<string | undefined>((resolve) => {
    let failures = 0;
    const budget = new RestartBudget();
    const done = (why?: string): void => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe();
      resolve(why);
    };
    const onSignal = (): void => done();
    const timer = durationSec === undefined ? undefined : setTimeout(() => done(), durationSec * 1000);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const unsubscribe = session.onEvent((e) => {
      if (e.type === 'resumed') failures = 0;
      if (e.type !== 'helper-lost') return;
      if (!budget.allow(Date.now())) {
        done(`${e.message}; it died ${budget.max} times within ${budget.windowMs / 1000} s: not restarting it again`);
        return;
      }
      process.stderr.write(`wireview capture: ${e.message}; restarting it\n`);
      const retry = (): void => {
        session.resume().catch((err: Error) => {
          if (++failures >= MAX_RESTARTS) done(`${e.message}; restarting failed: ${err.message}`);
          else setTimeout(retry, 200 * failures);
        });
      };
      retry();
    });
  });
}

/**
 * `wireview capture -o FILE [options]` and `wireview capture --probe`: a live capture streamed to
 * a trace file until --duration, SIGINT or SIGTERM; the file is complete when it returns.
 */
export async function captureCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (capture takes options only)`);
  if (values.probe) return probeCommand();
  const output = values.output;
  if (typeof output !== 'string') throw new UsageError('-o FILE is required (or --probe)');
  const duration = durationOf(values.duration);
  const filter = captureFilterOf(values);
  const expression = typeof values.filter === 'string' ? values.filter : undefined;
  if (expression !== undefined) {
    try {
      compileFilter(expression);
    } catch (e) {
      const col = (e as { offset?: number }).offset;
      throw new UsageError(`--filter: ${(e as Error).message}${col === undefined ? '' : ` (column ${col})`}`);
    }
  }
  let session: CaptureSession;
  try {
    session = await CaptureSession.start({ output, filter, ...(expression !== undefined ? { expression } : {}), reverseDns: values['reverse-dns'] === true, retainEvents: false });
  } catch (e) {
    if (e instanceof HelperLaunchError || (e as Error).message.startsWith('helper') || (e as Error).message.startsWith('the capture helper')) throw new HelperLaunchError((e as Error).message);
    throw e;
  }
  const pushed = session.pushed.length > 0 ? `; pushed into the kernel: ${session.pushed.join(', ')}` : '';
  // Signal handlers first: whoever reads the line below may signal at once.
  const running = runUntilDone(session, duration);
  process.stderr.write(`capturing to ${output}${duration ? ` for ${duration} s` : ''} (Ctrl-C stops${pushed})\n`);
  const failure = await running;
  const stats = await session.stop();
  process.stderr.write(summary(output, stats));
  if (failure) throw new HelperLaunchError(failure);
}
