import { EVENTS, eventIndex } from '../model/events.js';
import { IPPROTO } from '../model/enums.js';
import { batchEvents, batchTimes, denseValues, type ColumnValues, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

/** Event indexes the flow code tests rows against. */
export const EV = {
  pkt: eventIndex('pkt.tcp'),
  connect: eventIndex('sock.connect'),
  connectError: eventIndex('sock.connect_error'),
  accept: eventIndex('sock.accept'),
  state: eventIndex('tcp.state'),
  retransmit: eventIndex('tcp.retransmit'),
  retransmitSynack: eventIndex('tcp.retransmit_synack'),
  reconnect: eventIndex('tcp.reconnect'),
  resetSent: eventIndex('tcp.reset_sent'),
  resetReceived: eventIndex('tcp.reset_received'),
  probe: eventIndex('tcp.probe'),
  flowBegin: eventIndex('flow.tcp_begin'),
  flowEnd: eventIndex('flow.tcp_end'),
} as const;

/** Events that are drops (drop.*), by index. */
export const IS_DROP = Uint8Array.from(EVENTS, (e) => (e.id.startsWith('drop.') ? 1 : 0));

/** One TCP 4-tuple: endpoint A is the smaller (address id, port), B the other. */
export interface Tuple {
  readonly aAddr: number;
  readonly aPort: number;
  readonly bAddr: number;
  readonly bPort: number;
}

/**
 * The TCP rows of a store grouped by 4-tuple, each group in time order: `rows[start[t] …
 * start[t+1])` are tuple t's global rows, `ts` and `fromA` run parallel to `rows` (`fromA`: 1 =
 * the row's source endpoint is A, 0 = B, 2 = unknown: a row joined through its socket cookie).
 */
export interface TupleGroups {
  readonly tuples: readonly Tuple[];
  readonly start: Uint32Array;
  readonly rows: Uint32Array;
  readonly ts: Float64Array;
  readonly fromA: Uint8Array;
}

class Growable {
  rows = new Uint32Array(1024);
  tuple = new Uint32Array(1024);
  ts = new Float64Array(1024);
  fromA = new Uint8Array(1024);
  length = 0;

  push(row: number, tuple: number, ts: number, fromA: number): void {
    if (this.length === this.rows.length) this.grow();
    const i = this.length++;
    this.rows[i] = row;
    this.tuple[i] = tuple;
    this.ts[i] = ts;
    this.fromA[i] = fromA;
  }

  private grow(): void {
    const n = this.rows.length * 2;
    const rows = new Uint32Array(n);
    rows.set(this.rows);
    const tuple = new Uint32Array(n);
    tuple.set(this.tuple);
    const ts = new Float64Array(n);
    ts.set(this.ts);
    const fromA = new Uint8Array(n);
    fromA.set(this.fromA);
    Object.assign(this, { rows, tuple, ts, fromA });
  }
}

const EMPTY = new Uint8Array(0);

function column(batch: EventBatch, key: string): { v: ColumnValues; valid: Uint8Array | null } {
  const col = batch.columns[key];
  if (!col) return { v: EMPTY, valid: EMPTY };
  return { v: denseValues(col, batch.length), valid: col.valid };
}

const has = (valid: Uint8Array | null, r: number): boolean => valid === null || (valid.length > 0 && (valid[r >>> 3]! & (1 << (r & 7))) !== 0);

/**
 * One pass over the store: every row with protocol TCP and a full 4-tuple (packets, socket calls,
 * state changes, retransmits, resets, drops) joins its tuple's group; rows with only a socket
 * cookie join the tuple that cookie was seen with. Derived flow.* rows are left out.
 */
export function groupByTuple(store: EventStore): TupleGroups {
  const outer = new Map<number, Map<number, number>>();
  const tuples: Tuple[] = [];
  const out = new Growable();
  const cookieTuple = new Map<number, number>();
  const orphans: { row: number; ts: number; cookie: number }[] = [];
  let lastKeyA = -1;
  let lastKeyB = -1;
  let lastTuple = -1;
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const first = store.batchStart[b]!;
    const ev = batchEvents(batch);
    const ts = batchTimes(batch);
    const proto = column(batch, 'proto');
    const saddr = column(batch, 'saddr');
    const daddr = column(batch, 'daddr');
    const sport = column(batch, 'sport');
    const dport = column(batch, 'dport');
    const cookie = column(batch, 'socket_cookie');
    for (let r = 0; r < batch.length; r++) {
      const e = ev[r]!;
      if (e === EV.flowBegin || e === EV.flowEnd) continue;
      const tcp = has(proto.valid, r) && proto.v[r] === IPPROTO.TCP;
      const sp = tcp && has(sport.valid, r) ? sport.v[r]! : 0;
      const dp = tcp && has(dport.valid, r) ? dport.v[r]! : 0;
      if (sp === 0 || dp === 0 || !has(saddr.valid, r) || !has(daddr.valid, r)) {
        // socket events without a tuple: joined through their cookie afterwards
        if (has(cookie.valid, r) && (!has(proto.valid, r) || proto.v[r] === IPPROTO.TCP) && e !== EV.pkt && IS_DROP[e] === 0) {
          const c = cookie.v[r]!;
          if (c !== 0) orphans.push({ row: first + r, ts: ts[r]!, cookie: c });
        }
        continue;
      }
      const ks = saddr.v[r]! * 65536 + sp;
      const kd = daddr.v[r]! * 65536 + dp;
      const fromA = ks <= kd ? 1 : 0;
      const ka = fromA ? ks : kd;
      const kb = fromA ? kd : ks;
      let t: number;
      if (ka === lastKeyA && kb === lastKeyB) t = lastTuple;
      else {
        let inner = outer.get(ka);
        if (!inner) outer.set(ka, (inner = new Map()));
        let found = inner.get(kb);
        if (found === undefined) {
          found = tuples.length;
          inner.set(kb, found);
          tuples.push({ aAddr: Math.floor(ka / 65536), aPort: ka % 65536, bAddr: Math.floor(kb / 65536), bPort: kb % 65536 });
        }
        t = found;
        lastKeyA = ka;
        lastKeyB = kb;
        lastTuple = t;
      }
      if (has(cookie.valid, r) && cookie.v[r] !== 0 && !cookieTuple.has(cookie.v[r]!)) cookieTuple.set(cookie.v[r]!, t);
      out.push(first + r, t, ts[r]!, fromA);
    }
  }
  for (const o of orphans) {
    const t = cookieTuple.get(o.cookie);
    if (t !== undefined) out.push(o.row, t, o.ts, 2);
  }
  return sortGroups(tuples, out);
}

/** Counting sort by tuple (stable, so append order within a tuple), then time order inside each tuple. */
function sortGroups(tuples: Tuple[], g: Growable): TupleGroups {
  const n = g.length;
  const start = new Uint32Array(tuples.length + 1);
  for (let i = 0; i < n; i++) start[g.tuple[i]! + 1]!++;
  for (let t = 0; t < tuples.length; t++) start[t + 1]! += start[t]!;
  const fill = start.slice(0, tuples.length);
  const rows = new Uint32Array(n);
  const ts = new Float64Array(n);
  const fromA = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = fill[g.tuple[i]!]!++;
    rows[k] = g.rows[i]!;
    ts[k] = g.ts[i]!;
    fromA[k] = g.fromA[i]!;
  }
  for (let t = 0; t < tuples.length; t++) sortByTime(rows, ts, fromA, start[t]!, start[t + 1]!);
  return { tuples, start, rows, ts, fromA };
}

/** Sorts [lo, hi) by (ts, row) when it is not in that order already. */
function sortByTime(rows: Uint32Array, ts: Float64Array, fromA: Uint8Array, lo: number, hi: number): void {
  let sorted = true;
  for (let i = lo + 1; i < hi && sorted; i++) sorted = ts[i - 1]! < ts[i]! || (ts[i - 1] === ts[i] && rows[i - 1]! < rows[i]!);
  if (sorted) return;
  const idx = Array.from({ length: hi - lo }, (_, k) => lo + k);
  idx.sort((x, y) => ts[x]! - ts[y]! || rows[x]! - rows[y]!);
  const r = idx.map((i) => rows[i]!);
  const t = idx.map((i) => ts[i]!);
  const f = idx.map((i) => fromA[i]!);
  rows.set(r, lo);
  ts.set(t, lo);
  fromA.set(f, lo);
}
