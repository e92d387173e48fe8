import { EVENTS, PRIORITIES } from '../model/events.js';
import { batchEvents, batchTimes, denseValues } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from './row-mask.js';

/** A process as the counts see it: pid and command name (one pid may run several commands over time). */
export interface ProcessCount {
  readonly pid: number;
  readonly comm: string;
  readonly count: number;
}

/** How many events of each kind a trace (or a masked part of it) holds, and when they happened. */
export interface EventCounts {
  readonly events: number;
  /** Event id → rows; only ids that occur. */
  readonly byEvent: Record<string, number>;
  readonly byClass: Record<string, number>;
  /** Priority name → rows; only priorities that occur. */
  readonly byPriority: Record<string, number>;
  /** Most events first; rows without a pid are left out. */
  readonly byProcess: ProcessCount[];
  /** Earliest and latest ts of the counted rows, ns relative to store.baseNs; NaN when none. */
  readonly firstTs: number;
  readonly lastTs: number;
}

/**
 * Counts the rows of `mask` (all when undefined) by event, class, priority and process, in one
 * pass over the `event`, `pid` and `comm` columns.
 */
export function countEvents(store: EventStore, mask?: RowMask): EventCounts {
  const perEvent = new Float64Array(EVENTS.length);
  const perProcess = new PairCounter();
  const comms = store.dicts.strings('comm');
  let first = Infinity;
  let last = -Infinity;
  const bits = mask?.bits;
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const start = store.batchStart[b]!;
    const ev = batchEvents(batch);
    const ts = batchTimes(batch);
    const pid = batch.columns.pid;
    const comm = batch.columns.comm;
    const pids = pid && denseValues(pid, batch.length);
    const commIds = comm && denseValues(comm, batch.length);
    for (let i = 0; i < batch.length; i++) {
      if (bits !== undefined && bits[start + i] !== 1) continue;
      perEvent[ev[i]!]!++;
      const t = ts[i]!;
      if (t < first) first = t;
      if (t > last) last = t;
      if (pid === undefined || (pid.valid !== null && (pid.valid[i >>> 3]! & (1 << (i & 7))) === 0)) continue;
      const hasComm = comm !== undefined && (comm.valid === null || (comm.valid[i >>> 3]! & (1 << (i & 7))) !== 0);
      perProcess.add(pids![i]!, hasComm ? commIds![i]! : NO_COMM);
    }
  }
  const byEvent: Record<string, number> = {};
  const byClass: Record<string, number> = {};
  const byPriority: Record<string, number> = {};
  let events = 0;
  for (let e = 0; e < EVENTS.length; e++) {
    const n = perEvent[e]!;
    if (n === 0) continue;
    const def = EVENTS[e]!;
    events += n;
    byEvent[def.id] = n;
    byClass[def.class] = (byClass[def.class] ?? 0) + n;
    const p = PRIORITIES[def.priority - 1]!;
    byPriority[p] = (byPriority[p] ?? 0) + n;
  }
  const byProcess: ProcessCount[] = [];
  perProcess.forEach((pid, commId, count) => byProcess.push({ pid, comm: commId === NO_COMM ? '' : comms.get(commId), count }));
  byProcess.sort((a, b) => b.count - a.count || a.pid - b.pid || (a.comm < b.comm ? -1 : 1));
  return { events, byEvent, byClass, byPriority, byProcess, firstTs: events ? first : NaN, lastTs: events ? last : NaN };
}

const NO_COMM = 0xffffffff;

/**
 * Counts of (a, b) pairs of 32-bit numbers in an open-addressing hash table: a Map per row would
 * cost an allocation-heavy lookup for each of millions of rows.
 */
class PairCounter {
  private a = new Uint32Array(1024);
  private b = new Uint32Array(1024);
  private n = new Float64Array(1024);
  private size = 0;

  add(a: number, b: number): void {
    const mask = this.n.length - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    while (this.n[slot]! !== 0 && (this.a[slot] !== a || this.b[slot] !== b)) slot = (slot + 1) & mask;
    if (this.n[slot] === 0) {
      this.a[slot] = a;
      this.b[slot] = b;
      if (++this.size * 2 > this.n.length) {
        this.n[slot] = 1;
        this.grow();
        return;
      }
    }
    this.n[slot]!++;
  }

  forEach(fn: (a: number, b: number, count: number) => void): void {
    for (let s = 0; s < this.n.length; s++) if (this.n[s]! > 0) fn(this.a[s]!, this.b[s]!, this.n[s]!);
  }

  private grow(): void {
    const { a, b, n } = this;
    this.a = new Uint32Array(n.length * 2);
    this.b = new Uint32Array(n.length * 2);
    this.n = new Float64Array(n.length * 2);
    const mask = this.n.length - 1;
    for (let s = 0; s < n.length; s++) {
      if (n[s] === 0) continue;
      let slot = (Math.imul(a[s]!, 0x9e3779b1) ^ Math.imul(b[s]!, 0x85ebca6b)) & mask;
      while (this.n[slot] !== 0) slot = (slot + 1) & mask;
      this.a[slot] = a[s]!;
      this.b[slot] = b[s]!;
      this.n[slot] = n[s]!;
    }
  }
}
