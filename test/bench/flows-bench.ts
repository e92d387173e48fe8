/** Flow building over 10M synthetic events (target ≤ 1 s), against a baseline pass over the same columns. */
import { pathToFileURL } from 'node:url';
import { buildFlows, type FlowTable } from '../../renderer/engine/flows/build.js';
import { batchEvents, batchTimes, denseValues } from '../../renderer/engine/store/batch.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { appendSyntheticEvents } from '../support/synthetic-events.js';
import { median, report, timeRuns } from './measure.js';

/** Columns every flow build reads for each row (the rest only for the rows of TCP flows). */
const KEY_COLUMNS = ['proto', 'saddr', 'daddr', 'sport', 'dport', 'socket_cookie'];

export function flowsBench(events: number): void {
  console.log(`\n# flows: ${events.toLocaleString('en')} synthetic events`);
  const store = new EventStore();
  appendSyntheticEvents(store, { count: events, seed: 11 });

  // Baseline in the same process: one pass over the columns that place a row in its tuple.
  const scan = cpuAndWall(3, () => {
    let sum = 0;
    for (const b of store.batches) {
      const ev = batchEvents(b);
      const ts = batchTimes(b);
      const cols = KEY_COLUMNS.map((k) => (b.columns[k] ? denseValues(b.columns[k], b.length) : null));
      for (let i = 0; i < b.length; i++) {
        sum += ev[i]! + ts[i]!;
        for (const c of cols) if (c) sum += c[i]!;
      }
    }
    if (sum < 0) throw new Error('unreachable');
  });
  report('baseline: one pass over the tuple columns', scan.cpu, 'ms CPU', undefined, `${scan.wall.toFixed(0)} ms wall`);
  // each build replaces the previous table and reuses its buffers, as the engine rebuilds
  let table: FlowTable | undefined;
  const t = cpuAndWall(3, () => (table = buildFlows(store, table)));
  const flows = table?.count ?? 0;
  const note = `${(t.cpu / scan.cpu).toFixed(1)}× the pass; ${t.wall.toFixed(0)} ms wall (${(t.wall / scan.wall).toFixed(1)}×); ${flows} flows`;
  report('flows: build every flow (median of 3)', t.cpu, 'ms CPU', { op: '<=', value: 1000 }, note);
}

/**
 * Median process CPU time and median wall time of `runs` calls (after one warm-up). CPU time is the
 * figure: on the shared machine the wall time is mostly waiting for a core.
 */
function cpuAndWall(runs: number, fn: () => void): { cpu: number; wall: number } {
  const cpu: number[] = [];
  const wall = timeRuns(runs, () => {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  });
  // the first call of timeRuns is its warm-up
  return { cpu: median(cpu.slice(1).sort((a, b) => a - b)), wall: median(wall) };
}

// `node dist/test/bench/flows-bench.js [events]`: this part alone (npm run bench runs it with the rest)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) flowsBench(Number(process.argv[2] ?? 10_000_000));
