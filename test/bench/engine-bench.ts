/** Engine figures on 10M synthetic events: filter, LOD query, memory per event. */
import { Engine } from '../../renderer/engine/engine.js';
import { compileFilter, evaluateFilter } from '../../renderer/engine/filter/filter.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { columnBytes } from '../../renderer/engine/store/memory.js';
import { appendSyntheticEvents } from '../support/synthetic-events.js';
import { median, report, timeRuns } from './measure.js';

export function engineBench(events: number): void {
  console.log(`\n# engine: ${events.toLocaleString('en')} synthetic events`);
  const heapBefore = process.memoryUsage();
  const store = new EventStore();
  appendSyntheticEvents(store, { count: events, seed: 7 });
  const engine = new Engine({ store });
  const heapAfter = process.memoryUsage();

  // Baseline in the same process: one pass reading the dport column of every batch.
  const scan = median(
    timeRuns(5, () => {
      let n = 0;
      for (const b of store.batches) {
        const c = b.columns.dport;
        if (c?.form !== 'dense') continue;
        const v = c.values;
        for (let i = 0; i < v.length; i++) if (v[i] === 443) n++;
      }
      if (n < 0) throw new Error('unreachable');
    }),
  );
  report('baseline: one typed-array column scan', scan, 'ms');

  for (const text of [
    'net.dport = 443',
    "evt.name in ('sock.connect', 'sock.connect_error') or evt.priority <= WARNING",
    "ps.comm contains 'curl' and net.dip in 10.0.0.0/8",
    'tcp.flags.syn and not tcp.flags.ack',
    "net.dip.names matches ('*.example.com.')",
  ]) {
    const f = compileFilter(text);
    const t = median(timeRuns(5, () => evaluateFilter(store, f)));
    report(`filter: ${text.slice(0, 38)}`, t, 'ms', { op: '<=', value: 150 }, `${(t / scan).toFixed(1)}× the scan`);
  }

  const [t0, t1] = [engine.time.firstTs, engine.time.lastTs + 1];
  const lod = timeRuns(9, () => engine.lod({ t0, t1, width: 2000 }));
  report('LOD: whole trace, 2000 px (median)', median(lod), 'ms', { op: '<=', value: 50 }, `${(median(lod) / scan).toFixed(1)}× the scan`);
  const mid = t0 + (t1 - t0) / 2;
  const zoom = timeRuns(9, () => engine.lod({ t0: mid, t1: mid + (t1 - t0) / 100, width: 2000 }));
  report('LOD: 1% window, 2000 px (median)', median(zoom), 'ms', { op: '<=', value: 50 });

  const perEvent = columnBytes(store) / store.rowCount;
  report('memory: column bytes per event', perEvent, 'B', { op: '<=', value: 64 });
  const heapPerEvent = (heapAfter.arrayBuffers + heapAfter.heapUsed - heapBefore.arrayBuffers - heapBefore.heapUsed) / store.rowCount;
  report('memory: process growth per event (store+indexes)', heapPerEvent, 'B', undefined, 'includes GC slack');
}
