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

/** No value in `dir`. */
export const NO_DIR = 255;

/**
 * The TCP rows of a store grouped by 4-tuple, each group in time order: entries
 * `[start[t], start[t+1])` are tuple t's. Per entry, the fields every flow pass reads, copied out
 * of the store's columns once (0 where a row has none, NO_DIR for `dir`); anything else is read
 * from the store through `rows` (global row numbers). `fromA`: 1 = the row's source endpoint is
 * A, 0 = B, 2 = unknown (a row joined through its socket cookie).
 */
export interface TupleGroups {
  readonly tuples: readonly Tuple[];
  readonly start: Uint32Array;
  readonly rows: Uint32Array;
  readonly ts: Float64Array;
  readonly fromA: Uint8Array;
  readonly event: Uint8Array;
  readonly flags: Uint16Array;
  readonly seq: Float64Array;
  readonly size: Uint32Array;
  readonly pktLen: Uint32Array;
  readonly dir: Uint8Array;
  readonly cookie: Float64Array;
  readonly pid: Uint32Array;
  readonly owner: Uint8Array;
  /** Tuple of each entry (−1: a cookie never seen with a tuple). */
  readonly tuple: Int32Array;
}

type Columns = Omit<TupleGroups, 'tuples' | 'start'>;
const COLUMN_TYPES = {
  rows: Uint32Array, ts: Float64Array, fromA: Uint8Array, event: Uint8Array, flags: Uint16Array, seq: Float64Array,
  size: Uint32Array, pktLen: Uint32Array, dir: Uint8Array, cookie: Float64Array, pid: Uint32Array, owner: Uint8Array, tuple: Int32Array,
} as const;
const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as (keyof Columns)[];

/** Columns that grow by doubling. */
class Growable {
  cols: { -readonly [K in keyof Columns]: Columns[K] };
  length = 0;
  capacity = 4096;

  constructor() {
    this.cols = Object.fromEntries(COLUMN_NAMES.map((k) => [k, new COLUMN_TYPES[k](this.capacity)])) as unknown as Growable['cols'];
  }

  /** Index of a new entry (all fields 0). */
  add(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      for (const k of COLUMN_NAMES) {
        const grown = new COLUMN_TYPES[k](this.capacity);
        grown.set(this.cols[k] as never);
        (this.cols as Record<string, unknown>)[k] = grown;
      }
    }
    return this.length++;
  }
}

const slot = (ka: number, kb: number, mask: number): number => (Math.imul(ka | 0, 0x9e3779b1) ^ Math.imul(kb | 0, 0x85ebca77) ^ Math.floor(ka / 4294967296)) & mask;

/** Open-addressing hash of (A key, B key) → tuple id; keys are address id × 65536 + port. */
class TupleMap {
  private keysA = new Float64Array(1024);
  private keysB = new Float64Array(1024);
  private ids = new Int32Array(1024).fill(-1);
  private size = 0;

  /** The id of (ka, kb), or −1. */
  find(ka: number, kb: number): number {
    const mask = this.ids.length - 1;
    let h = slot(ka, kb, mask);
    for (;;) {
      const id = this.ids[h]!;
      if (id < 0 || (this.keysA[h] === ka && this.keysB[h] === kb)) return id;
      h = (h + 1) & mask;
    }
  }

  /** Adds (ka, kb) → id (not present yet). */
  insert(ka: number, kb: number, id: number): void {
    const mask = this.ids.length - 1;
    let h = slot(ka, kb, mask);
    while (this.ids[h]! >= 0) h = (h + 1) & mask;
    this.ids[h] = id;
    this.keysA[h] = ka;
    this.keysB[h] = kb;
    if (++this.size * 2 > this.ids.length) this.rehash();
  }

  private rehash(): void {
    const { keysA, keysB, ids } = this;
    this.keysA = new Float64Array(ids.length * 2);
    this.keysB = new Float64Array(ids.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    const mask = this.ids.length - 1;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! < 0) continue;
      let h = slot(keysA[i]!, keysB[i]!, mask);
      while (this.ids[h]! >= 0) h = (h + 1) & mask;
      this.ids[h] = ids[i]!;
      this.keysA[h] = keysA[i]!;
      this.keysB[h] = keysB[i]!;
    }
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
  const map = new TupleMap();
  const tuples: Tuple[] = [];
  const out = new Growable();
  const orphans: number[] = [];
  let lastKeyA = -1;
  let lastKeyB = -1;
  let lastTuple = -1;
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const first = store.batchStart[b]!;
    const ev = batchEvents(batch);
    const ts = batchTimes(batch);
    const c = Object.fromEntries(
      ['proto', 'saddr', 'daddr', 'sport', 'dport', 'socket_cookie', 'tcp_flags', 'tcp_seq', 'size', 'pkt_len', 'direction', 'pid', 'pid_owner'].map((k) => [k, column(batch, k)]),
    ) as Record<string, { v: ColumnValues; valid: Uint8Array | null }>;
    const [proto, saddr, daddr, sport, dport, cookie] = [c.proto!, c.saddr!, c.daddr!, c.sport!, c.dport!, c.socket_cookie!];
    // denseValues holds 0 where a row has no value: only the address columns need their bitmap (id 0 is an address)
    const pv = proto.v;
    const spv = sport.v;
    const dpv = dport.v;
    const sav = saddr.v;
    const dav = daddr.v;
    const cv = cookie.v;
    const [flags, seq, size, pktLen, dir, pid, owner] = [c.tcp_flags!.v, c.tcp_seq!.v, c.size!.v, c.pkt_len!.v, c.direction!.v, c.pid!.v, c.pid_owner!.v];
    const len = batch.length;
    for (let r = 0; r < len; r++) {
      const e = ev[r]!;
      if (e === EV.flowBegin || e === EV.flowEnd) continue;
      const p = r < pv.length ? pv[r]! : 0;
      const sp = p === IPPROTO.TCP ? spv[r]! : 0;
      const dp = p === IPPROTO.TCP ? dpv[r]! : 0;
      const ck = r < cv.length ? cv[r]! : 0;
      let t: number;
      let fromA = 2;
      if (sp === 0 || dp === 0 || !has(saddr.valid, r) || !has(daddr.valid, r)) {
        // socket events without a tuple: joined through their cookie afterwards
        if (ck === 0 || (p !== 0 && p !== IPPROTO.TCP) || e === EV.pkt || IS_DROP[e] === 1) continue;
        t = -2;
      } else {
        const ks = sav[r]! * 65536 + sp;
        const kd = dav[r]! * 65536 + dp;
        fromA = ks <= kd ? 1 : 0;
        const ka = fromA ? ks : kd;
        const kb = fromA ? kd : ks;
        if (ka === lastKeyA && kb === lastKeyB) t = lastTuple;
        else {
          t = map.find(ka, kb);
          if (t < 0) {
            t = tuples.length;
            tuples.push({ aAddr: Math.floor(ka / 65536), aPort: ka % 65536, bAddr: Math.floor(kb / 65536), bPort: kb % 65536 });
            map.insert(ka, kb, t);
          }
          lastKeyA = ka;
          lastKeyB = kb;
          lastTuple = t;
        }
      }
      const i = out.add();
      const o = out.cols;
      o.rows[i] = first + r;
      o.ts[i] = ts[r]!;
      o.fromA[i] = fromA;
      o.event[i] = e;
      o.tuple[i] = t;
      if (r < flags.length) o.flags[i] = flags[r]!;
      if (r < seq.length) o.seq[i] = seq[r]!;
      if (r < size.length) o.size[i] = size[r]!;
      if (r < pktLen.length) o.pktLen[i] = pktLen[r]!;
      o.dir[i] = r < dir.length ? dir[r]! : NO_DIR;
      o.cookie[i] = ck;
      if (r < pid.length) o.pid[i] = pid[r]!;
      if (r < owner.length) o.owner[i] = owner[r]!;
      if (t === -2) orphans.push(i);
    }
  }
  if (orphans.length > 0) {
    // the tuple each cookie was first seen with (only needed when some rows have no tuple)
    const cookieTuple = new Map<number, number>();
    const { cookie, tuple } = out.cols;
    for (let i = 0; i < out.length; i++) if (tuple[i]! >= 0 && cookie[i] !== 0 && !cookieTuple.has(cookie[i]!)) cookieTuple.set(cookie[i]!, tuple[i]!);
    for (const i of orphans) tuple[i] = cookieTuple.get(cookie[i]!) ?? -1;
  }
  return sortGroups(tuples, out);
}

/**
 * Counting sort by tuple, stable, so each group keeps append order, which is time order unless the
 * input was not (then that group alone is sorted). Columns are scattered: read in order, written to
 * one running position per tuple, which keeps the writes local. Entries of no tuple are left out.
 */
function sortGroups(tuples: Tuple[], g: Growable): TupleGroups {
  const c = g.cols;
  const tupleOf = c.tuple;
  const count = g.length;
  const start = new Uint32Array(tuples.length + 1);
  const lastTs = new Float64Array(tuples.length).fill(-Infinity);
  const unsorted = new Uint8Array(tuples.length);
  for (let i = 0; i < count; i++) {
    const t = tupleOf[i]!;
    if (t < 0) continue;
    start[t + 1]!++;
    if (c.ts[i]! < lastTs[t]!) unsorted[t] = 1;
    else lastTs[t] = c.ts[i]!;
  }
  for (let t = 0; t < tuples.length; t++) start[t + 1]! += start[t]!;
  const n = start[tuples.length]!;
  const fill = start.slice(0, tuples.length);
  const pos = new Uint32Array(count);
  for (let i = 0; i < count; i++) pos[i] = tupleOf[i]! < 0 ? n : fill[tupleOf[i]!]!++;
  const out: Columns = {
    rows: scatterU32(c.rows, pos, n),
    ts: scatterF64(c.ts, pos, n),
    fromA: scatterU8(c.fromA, pos, n),
    event: scatterU8(c.event, pos, n),
    flags: scatterU16(c.flags, pos, n),
    seq: scatterF64(c.seq, pos, n),
    size: scatterU32(c.size, pos, n),
    pktLen: scatterU32(c.pktLen, pos, n),
    dir: scatterU8(c.dir, pos, n),
    cookie: scatterF64(c.cookie, pos, n),
    pid: scatterU32(c.pid, pos, n),
    owner: scatterU8(c.owner, pos, n),
    tuple: scatterI32(c.tuple, pos, n),
  };
  for (let t = 0; t < tuples.length; t++) if (unsorted[t]) sortRange(out, start[t]!, start[t + 1]!);
  return { tuples, start, ...out };
}

/** Puts entries [lo, hi) of every column in (ts, row) order. */
function sortRange(cols: Columns, lo: number, hi: number): void {
  const { ts, rows } = cols;
  const perm = Array.from({ length: hi - lo }, (_, k) => lo + k).sort((x, y) => ts[x]! - ts[y]! || rows[x]! - rows[y]!);
  for (const k of COLUMN_NAMES) {
    const col = cols[k];
    const moved = perm.map((i) => col[i]!);
    col.set(moved, lo);
  }
}

// One scatter per array type, so that each loop stays monomorphic; position n = left out.
function scatterF64(src: Float64Array, pos: Uint32Array, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 0; i < pos.length; i++) out[pos[i]!] = src[i]!;
  return out.subarray(0, n);
}
function scatterU32(src: Uint32Array, pos: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(n + 1);
  for (let i = 0; i < pos.length; i++) out[pos[i]!] = src[i]!;
  return out.subarray(0, n);
}
function scatterI32(src: Int32Array, pos: Uint32Array, n: number): Int32Array {
  const out = new Int32Array(n + 1);
  for (let i = 0; i < pos.length; i++) out[pos[i]!] = src[i]!;
  return out.subarray(0, n);
}
function scatterU16(src: Uint16Array, pos: Uint32Array, n: number): Uint16Array {
  const out = new Uint16Array(n + 1);
  for (let i = 0; i < pos.length; i++) out[pos[i]!] = src[i]!;
  return out.subarray(0, n);
}
function scatterU8(src: Uint8Array, pos: Uint32Array, n: number): Uint8Array {
  const out = new Uint8Array(n + 1);
  for (let i = 0; i < pos.length; i++) out[pos[i]!] = src[i]!;
  return out.subarray(0, n);
}
