import type { TimeIndex } from '../index/time-index.js';
import { protoName } from '../model/enums.js';
import { EVENTS } from '../model/events.js';
import { batchEvents, batchTimes, denseValues, type Column, type ColumnValues, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from './row-mask.js';

/** How the timeline regroups its lanes: one lane per process (pid + command) or per connection. */
export type GroupBy = 'process' | 'connection';
export const GROUP_BYS: readonly GroupBy[] = ['process', 'connection'];

/** Stores of at least this many rows report the progress of a first regroup (smaller ones are quick). */
export const GROUP_PROGRESS_MIN_ROWS = 200_000;

/** Rows assigned to groups so far, of the store's rows: the first regroup of a big trace takes a while. */
export type GroupProgress = (rowsDone: number, rowCount: number) => void;

/** Most lanes a regrouped timeline shows; the rest of the rows share one "other" lane. */
export const MAX_GROUPS = 48;

export interface LaneGroup {
  /** Stable key of the group (`pid:comm`, or `proto|a|pa|b|pb`; `-` for rows without one). */
  readonly key: string;
  /** What the lane is labelled: `1234 curl`, `TCP 10.0.0.1:80 ↔ 10.0.0.2:4000`. */
  readonly label: string;
  /** Rows of the group in the queried row set. */
  readonly count: number;
}

/** Per group lane and pixel column: event count and the most severe event (lowest priority number). */
export interface GroupLod {
  readonly t0: number;
  readonly t1: number;
  readonly width: number;
  readonly groupBy: GroupBy;
  /** Lanes, busiest first (ties: in order of their first row); at most MAX_GROUPS (+ "other"), only groups with rows in the row set. */
  readonly groups: LaneGroup[];
  /** Events per (lane, column) at `lane * width + column`. */
  readonly counts: Uint32Array;
  /** Most severe event per (lane, column), lowest index on ties; −1 where empty. */
  readonly dominant: Int16Array;
}

/** Rows without the fields a group needs (no pid, no address tuple) share this key. */
export const NO_GROUP_KEY = '-';
export const OTHER_GROUP_KEY = '*';

/** Each row's group id and each group's key and label, for one store state and one GroupBy. */
interface Assignment {
  readonly rowCount: number;
  readonly ofRow: Uint32Array;
  readonly keys: string[];
  readonly labels: string[];
}

/** The id of the group named by (a, b, c); `make` gives its key and label when it is new. */
type Intern = (a: number, b: number, c: number, make: () => [string, string]) => number;

const bit = (col: Column | undefined, i: number): boolean => col !== undefined && (col.valid === null || (col.valid[i >>> 3]! & (1 << (i & 7))) !== 0);
const valuesOf = (batch: EventBatch, key: string): { col: Column | undefined; values: ColumnValues | undefined } => {
  const col = batch.columns[key];
  return { col, values: col && denseValues(col, batch.length) };
};

/**
 * Assigns rows to process or connection groups and answers LOD queries per group. The assignment
 * is made once per GroupBy and kept while the store does not grow (a live capture remakes it).
 */
export class LaneGroups {
  private readonly cache = new Map<GroupBy, Assignment>();

  constructor(
    private readonly store: EventStore,
    private readonly time: TimeIndex,
  ) {}

  /** Buckets the rows with t0 ≤ ts < t1 (of `mask` when given) per group lane and `width` columns. */
  lod(groupBy: GroupBy, t0: number, t1: number, width: number, mask?: RowMask, progress?: GroupProgress): GroupLod {
    const a = this.assignment(groupBy, progress);
    const bits = mask?.bits;
    // Lanes: the busiest groups of the row set, the rest in "other".
    const totals = new Float64Array(a.keys.length);
    for (let r = 0; r < a.rowCount; r++) if (bits === undefined || bits[r] === 1) totals[a.ofRow[r]!]!++;
    const order = Array.from(totals.keys()).filter((g) => totals[g]! > 0);
    order.sort((x, y) => totals[y]! - totals[x]! || x - y); // ties: the group seen first
    const laneOf = new Int32Array(a.keys.length).fill(-1);
    const groups: LaneGroup[] = [];
    let other = 0;
    for (const g of order) {
      if (groups.length < MAX_GROUPS) {
        laneOf[g] = groups.length;
        groups.push({ key: a.keys[g]!, label: a.labels[g]!, count: totals[g]! });
      } else {
        laneOf[g] = MAX_GROUPS;
        other += totals[g]!;
      }
    }
    if (other > 0) groups.push({ key: OTHER_GROUP_KEY, label: `${order.length - MAX_GROUPS} more`, count: other });

    const w = Math.max(1, Math.floor(width));
    const counts = new Uint32Array(groups.length * w);
    const dominant = new Int16Array(groups.length * w).fill(-1);
    if (t1 > t0) {
      const scale = w / (t1 - t0);
      for (let b = 0; b < this.store.batches.length; b++) {
        const [min, max] = this.time.batchSpan(b);
        if (max < t0 || min >= t1) continue;
        const batch = this.store.batches[b]!;
        const ts = batchTimes(batch);
        const ev = batchEvents(batch);
        const first = this.store.batchStart[b]!;
        for (let i = 0; i < ts.length; i++) {
          const row = first + i;
          const t = ts[i]!;
          if (t < t0 || t >= t1 || (bits !== undefined && bits[row] !== 1)) continue;
          const cell = laneOf[a.ofRow[row]!]! * w + Math.min(((t - t0) * scale) | 0, w - 1);
          counts[cell]!++;
          const e = ev[i]!;
          const d = dominant[cell]!;
          if (d < 0 || EVENTS[e]!.priority < EVENTS[d]!.priority || (EVENTS[e]!.priority === EVENTS[d]!.priority && e < d)) dominant[cell] = e;
        }
      }
    }
    return { t0, t1, width: w, groupBy, groups, counts, dominant };
  }

  /** The group key of a row (to tell which lane a row is drawn in). */
  keyOfRow(groupBy: GroupBy, row: number): string {
    const a = this.assignment(groupBy);
    return a.keys[a.ofRow[row]!] ?? NO_GROUP_KEY;
  }

  /** Whether `row` belongs to group `key` (OTHER_GROUP_KEY: any group not in `shown`). */
  rowInGroup(groupBy: GroupBy, row: number, key: string, shown: ReadonlySet<string>): boolean {
    const k = this.keyOfRow(groupBy, row);
    return key === OTHER_GROUP_KEY ? !shown.has(k) : k === key;
  }

  private assignment(groupBy: GroupBy, progress?: GroupProgress): Assignment {
    const cached = this.cache.get(groupBy);
    if (cached && cached.rowCount === this.store.rowCount) return cached;
    const report = progress && this.store.rowCount >= GROUP_PROGRESS_MIN_ROWS ? progress : undefined;
    const made = groupBy === 'process' ? this.byProcess(report) : this.byConnection(report);
    this.cache.set(groupBy, made);
    return made;
  }

  private byProcess(progress: GroupProgress | undefined): Assignment {
    const comms = this.store.dicts.strings('comm');
    return this.assign((batch, intern) => {
      const pid = valuesOf(batch, 'pid');
      const comm = valuesOf(batch, 'comm');
      return (i) => {
        if (!bit(pid.col, i)) return intern(-1, 0, 0, () => [NO_GROUP_KEY, 'no process']);
        const p = pid.values![i]!;
        const c = bit(comm.col, i) ? comm.values![i]! : -1;
        return intern(p, c + 1, 0, () => [`${p}:${c}`, `${p} ${c >= 0 ? comms.get(c) : ''}`.trim()]);
      };
    }, progress);
  }

  private byConnection(progress: GroupProgress | undefined): Assignment {
    const addrs = this.store.dicts.addrs;
    const end = (addr: number, port: number): string => {
      const text = addrs.text(addr);
      const host = text.includes(':') ? `[${text}]` : text;
      return port ? `${host}:${port}` : host;
    };
    return this.assign((batch, intern) => {
      const [proto, sa, da, sp, dp] = ['proto', 'saddr', 'daddr', 'sport', 'dport'].map((k) => valuesOf(batch, k)) as [
        ReturnType<typeof valuesOf>, ReturnType<typeof valuesOf>, ReturnType<typeof valuesOf>, ReturnType<typeof valuesOf>, ReturnType<typeof valuesOf>,
      ];
      return (i) => {
        if (!bit(sa.col, i) || !bit(da.col, i)) return intern(-1, 0, 0, () => [NO_GROUP_KEY, 'no connection']);
        const p = bit(proto.col, i) ? proto.values![i]! : 0;
        const s0 = sa.values![i]!;
        const s1 = bit(sp.col, i) ? sp.values![i]! : 0;
        const d0 = da.values![i]!;
        const d1 = bit(dp.col, i) ? dp.values![i]! : 0;
        // Both directions of a connection are one lane: the lower endpoint first.
        const swap = d0 < s0 || (d0 === s0 && d1 < s1);
        const [x0, x1, y0, y1] = swap ? [d0, d1, s0, s1] : [s0, s1, d0, d1];
        return intern(p * 2 ** 32 + x0, y0, x1 * 65536 + y1, () => [`${p}|${x0}|${x1}|${y0}|${y1}`, `${p ? protoName(p) : 'IP'} ${end(x0, x1)} ↔ ${end(y0, y1)}`]);
      };
    }, progress);
  }

  /**
   * Runs `rowKey` over every row: per batch it returns a row → group id function, which names a
   * group by three numbers (looked up in nested Maps: no string per row) and makes its key and
   * label only the first time the group is seen. `progress` hears of the start and each batch.
   */
  private assign(rowKey: (batch: EventBatch, intern: Intern) => (i: number) => number, progress: GroupProgress | undefined): Assignment {
    const keys: string[] = [];
    const labels: string[] = [];
    const ids = new Map<number, Map<number, Map<number, number>>>();
    const intern: Intern = (a, b, c, make) => {
      let byB = ids.get(a);
      if (byB === undefined) ids.set(a, (byB = new Map()));
      let byC = byB.get(b);
      if (byC === undefined) byB.set(b, (byC = new Map()));
      let id = byC.get(c);
      if (id === undefined) {
        id = keys.length;
        byC.set(c, id);
        const [key, label] = make();
        keys.push(key);
        labels.push(label);
      }
      return id;
    };
    const rowCount = this.store.rowCount;
    const ofRow = new Uint32Array(rowCount);
    progress?.(0, rowCount);
    for (let b = 0; b < this.store.batches.length; b++) {
      const batch = this.store.batches[b]!;
      const first = this.store.batchStart[b]!;
      const keyOf = rowKey(batch, intern);
      for (let i = 0; i < batch.length; i++) ofRow[first + i] = keyOf(i);
      progress?.(first + batch.length, rowCount);
    }
    return { rowCount, ofRow, keys, labels };
  }
}
