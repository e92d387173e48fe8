import { EVENTS, eventIndex } from '../model/events.js';
import { IPPROTO } from '../model/enums.js';
import { batchEvents, batchTimes, denseValues, type ColumnValues, type EventBatch, type SparseColumn } from '../store/batch.js';
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
/** No value in `stateNew` / `stateOld` (TCP states are 1…12). */
export const NO_STATE = 255;

/**
 * The TCP rows of a store grouped by 4-tuple, each group in time order: entries
 * `[start[t], start[t+1])` are tuple t's. Per entry, the fields every flow pass reads, copied out
 * of the store's columns once (0 where a row has none, NO_DIR for `dir` in a batch without
 * directions, NO_STATE for a state a row has not); anything else is read from the store through
 * `rows` (global row numbers). `fromA`: 1 = the row's source endpoint is A, 0 = B, 2 = unknown (a
 * row joined through its socket cookie).
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
  readonly stateNew: Uint8Array;
  readonly stateOld: Uint8Array;
}

type Columns = Omit<TupleGroups, 'tuples' | 'start'>;
type ColumnArray = Columns[keyof Columns];
const COLUMN_NAMES: readonly (keyof Columns)[] = ['rows', 'ts', 'fromA', 'event', 'flags', 'seq', 'size', 'pktLen', 'dir', 'cookie', 'pid', 'owner', 'stateNew', 'stateOld'];

/** Int32s per slot of TupleMap: A address id, B address id, A port × 65536 + B port, tuple id + 1 (0 = empty). */
const SLOT = 4;

/**
 * Open-addressing hash of a tuple (A address id, A port, B address id, B port) → tuple id. One
 * slot is 16 bytes of one Int32Array, so a probe reads one cache line.
 */
class TupleMap {
  private slots = new Int32Array(1024 * SLOT);
  private size = 0;

  private static first(aAddr: number, bAddr: number, ports: number, mask: number): number {
    return (Math.imul(aAddr, 0x9e3779b1) ^ Math.imul(bAddr, 0x85ebca77) ^ Math.imul(ports, 0xc2b2ae35)) & mask;
  }

  /** The id of the tuple, or −1. */
  find(aAddr: number, aPort: number, bAddr: number, bPort: number): number {
    const s = this.slots;
    const mask = s.length / SLOT - 1;
    const ports = (aPort << 16) | bPort;
    for (let h = TupleMap.first(aAddr, bAddr, ports, mask); ; h = (h + 1) & mask) {
      const k = h * SLOT;
      const id = s[k + 3]!;
      if (id === 0 || (s[k] === aAddr && s[k + 1] === bAddr && s[k + 2] === ports)) return id - 1;
    }
  }

  /** Adds the tuple → id (not present yet). */
  insert(aAddr: number, aPort: number, bAddr: number, bPort: number, id: number): void {
    this.place(aAddr, bAddr, (aPort << 16) | bPort, id + 1);
    if (++this.size * 2 > this.slots.length / SLOT) {
      const old = this.slots;
      this.slots = new Int32Array(old.length * 2);
      for (let k = 0; k < old.length; k += SLOT) if (old[k + 3] !== 0) this.place(old[k]!, old[k + 1]!, old[k + 2]!, old[k + 3]!);
    }
  }

  private place(aAddr: number, bAddr: number, ports: number, idPlus1: number): void {
    const s = this.slots;
    const mask = s.length / SLOT - 1;
    let h = TupleMap.first(aAddr, bAddr, ports, mask);
    while (s[h * SLOT + 3] !== 0) h = (h + 1) & mask;
    s.set([aAddr, bAddr, ports, idPlus1], h * SLOT);
  }
}

const EMPTY = new Uint8Array(0);

function column(batch: EventBatch, key: string): { v: ColumnValues; valid: Uint8Array | null } {
  const col = batch.columns[key];
  if (!col) return { v: EMPTY, valid: EMPTY };
  return { v: denseValues(col, batch.length), valid: col.valid };
}

const has = (valid: Uint8Array | null, r: number): boolean => valid === null || (valid.length > 0 && (valid[r >>> 3]! & (1 << (r & 7))) !== 0);

/** Tuple of each global row while grouping: its tuple id, or one of these. */
const LEFT_OUT = -1;
const BY_COOKIE = -2;

/**
 * Every row with protocol TCP and a full 4-tuple (packets, socket calls, state changes,
 * retransmits, resets, drops) joins its tuple's group; rows with only a socket cookie join the
 * tuple that cookie was first seen with. Derived flow.* rows are left out. Columnar passes: one
 * over the tuple columns giving each row its tuple, a counting sort placing each row in its group,
 * then one scatter per copied column, straight from the store's columns.
 */
export function groupByTuple(store: EventStore): TupleGroups {
  const tupleOf = new Int32Array(store.rowCount);
  const fromAOf = new Uint8Array(store.rowCount);
  const { tuples, counts, orphans, orphanCookies } = assignTuples(store, tupleOf, fromAOf);
  if (orphans.length > 0) joinByCookie(store, tupleOf, orphans, orphanCookies, counts);
  const nt = tuples.length;
  const start = new Uint32Array(nt + 1);
  for (let t = 0; t < nt; t++) start[t + 1] = start[t]! + counts[t]!;
  const n = start[nt]!;
  // positions: tupleOf becomes each row's entry (n = left out, a slot past the end)
  const fill = start.slice(0, nt);
  const lastTs = new Float64Array(nt).fill(-Infinity);
  const unsorted = new Uint8Array(nt);
  const rows = new Uint32Array(n + 1);
  const tsOut = new Float64Array(n + 1);
  const fromA = new Uint8Array(n + 1);
  for (let b = 0; b < store.batches.length; b++) {
    const ts = batchTimes(store.batches[b]!);
    const first = store.batchStart[b]!;
    for (let r = 0; r < ts.length; r++) {
      const row = first + r;
      const t = tupleOf[row]!;
      if (t < 0) {
        tupleOf[row] = n;
        continue;
      }
      const p = fill[t]!++;
      tupleOf[row] = p;
      const time = ts[r]!;
      if (time < lastTs[t]!) unsorted[t] = 1;
      else lastTs[t] = time;
      rows[p] = row;
      tsOut[p] = time;
      fromA[p] = fromAOf[row]!;
    }
  }
  const pos = tupleOf;
  const out: Columns = {
    rows: rows.subarray(0, n),
    ts: tsOut.subarray(0, n),
    fromA: fromA.subarray(0, n),
    event: gather(store, pos, n, 'event', new Uint8Array(n + 1), 0),
    flags: gather(store, pos, n, 'tcp_flags', new Uint16Array(n + 1), 0),
    seq: gather(store, pos, n, 'tcp_seq', new Float64Array(n + 1), 0),
    size: gather(store, pos, n, 'size', new Uint32Array(n + 1), 0),
    pktLen: gather(store, pos, n, 'pkt_len', new Uint32Array(n + 1), 0),
    dir: gather(store, pos, n, 'direction', new Uint8Array(n + 1), NO_DIR),
    cookie: gather(store, pos, n, 'socket_cookie', new Float64Array(n + 1), 0),
    pid: gather(store, pos, n, 'pid', new Uint32Array(n + 1), 0),
    owner: gather(store, pos, n, 'pid_owner', new Uint8Array(n + 1), 0),
    stateNew: gatherValid(store, pos, n, 'state_new', new Uint8Array(n + 1), NO_STATE),
    stateOld: gatherValid(store, pos, n, 'state_old', new Uint8Array(n + 1), NO_STATE),
  };
  for (let t = 0; t < nt; t++) if (unsorted[t]) sortRange(out, start[t]!, start[t + 1]!);
  return { tuples, start, ...out };
}

/**
 * First pass: the tuple of each row (LEFT_OUT, BY_COOKIE, or an id), which endpoint sent it, and
 * the number of rows of each tuple. Reads only the event and tuple columns (the cookie for rows
 * without a tuple).
 */
function assignTuples(store: EventStore, tupleOf: Int32Array, fromAOf: Uint8Array): { tuples: Tuple[]; counts: Uint32Array; orphans: number[]; orphanCookies: number[] } {
  const map = new TupleMap();
  const tuples: Tuple[] = [];
  let counts = new Uint32Array(1024);
  const orphans: number[] = [];
  const orphanCookies: number[] = [];
  let lastA = -1;
  let lastB = -1;
  let lastAPort = -1;
  let lastBPort = -1;
  let lastTuple = -1;
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const first = store.batchStart[b]!;
    const ev = batchEvents(batch);
    const proto = column(batch, 'proto').v;
    const saddr = column(batch, 'saddr');
    const daddr = column(batch, 'daddr');
    const sport = column(batch, 'sport').v;
    const dport = column(batch, 'dport').v;
    const cookie = column(batch, 'socket_cookie').v;
    // denseValues holds 0 where a row has no value: only the address columns need their bitmap (id 0 is an address)
    const sav = saddr.v;
    const dav = daddr.v;
    const sValid = saddr.valid;
    const dValid = daddr.valid;
    for (let r = 0; r < batch.length; r++) {
      const row = first + r;
      const e = ev[r]!;
      const p = r < proto.length ? proto[r]! : 0;
      const sp = p === IPPROTO.TCP ? sport[r]! : 0;
      const dp = p === IPPROTO.TCP ? dport[r]! : 0;
      if (e === EV.flowBegin || e === EV.flowEnd) {
        tupleOf[row] = LEFT_OUT;
      } else if (sp === 0 || dp === 0 || !has(sValid, r) || !has(dValid, r)) {
        // socket events without a tuple: joined through their cookie afterwards
        const ck = r < cookie.length ? cookie[r]! : 0;
        if (ck === 0 || (p !== 0 && p !== IPPROTO.TCP) || e === EV.pkt || IS_DROP[e] === 1) tupleOf[row] = LEFT_OUT;
        else {
          tupleOf[row] = BY_COOKIE;
          fromAOf[row] = 2;
          orphans.push(row);
          orphanCookies.push(ck);
        }
      } else {
        const sa = sav[r]!;
        const da = dav[r]!;
        // A is the smaller (address id, port) end
        const fromA = sa < da || (sa === da && sp <= dp) ? 1 : 0;
        const aAddr = fromA ? sa : da;
        const aPort = fromA ? sp : dp;
        const bAddr = fromA ? da : sa;
        const bPort = fromA ? dp : sp;
        let t = lastTuple;
        if (aAddr !== lastA || bAddr !== lastB || aPort !== lastAPort || bPort !== lastBPort) {
          t = map.find(aAddr, aPort, bAddr, bPort);
          if (t < 0) {
            t = tuples.length;
            tuples.push({ aAddr, aPort, bAddr, bPort });
            map.insert(aAddr, aPort, bAddr, bPort, t);
            if (t === counts.length) {
              const grown = new Uint32Array(t * 2);
              grown.set(counts);
              counts = grown;
            }
          }
          lastA = aAddr;
          lastB = bAddr;
          lastAPort = aPort;
          lastBPort = bPort;
          lastTuple = t;
        }
        tupleOf[row] = t;
        fromAOf[row] = fromA;
        counts[t]!++;
      }
    }
  }
  return { tuples, counts, orphans, orphanCookies };
}

/** Rows without a tuple join the tuple their cookie was first seen with (in row order), else are left out. */
function joinByCookie(store: EventStore, tupleOf: Int32Array, orphans: readonly number[], cookieOf: readonly number[], counts: Uint32Array): void {
  const wanted = new Map<number, number>();
  for (const ck of cookieOf) wanted.set(ck, LEFT_OUT);
  let missing = wanted.size;
  for (let b = 0; b < store.batches.length && missing > 0; b++) {
    const cookie = column(store.batches[b]!, 'socket_cookie').v;
    const first = store.batchStart[b]!;
    for (let r = 0; r < cookie.length; r++) {
      const ck = cookie[r]!;
      const t = tupleOf[first + r]!;
      if (ck === 0 || t < 0 || wanted.get(ck) !== LEFT_OUT) continue;
      wanted.set(ck, t);
      missing--;
    }
  }
  for (let k = 0; k < orphans.length; k++) {
    const t = wanted.get(cookieOf[k]!)!;
    tupleOf[orphans[k]!] = t;
    if (t >= 0) counts[t]!++;
  }
}

/**
 * Copies one store column into group order: `out[pos[row]] = value` (pos n: left out), `absent`
 * for the rows of batches without the column, 0 for rows without a value.
 */
function gather<T extends ColumnArray>(store: EventStore, pos: Int32Array, n: number, key: string, out: T, absent: number): T {
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const first = store.batchStart[b]!;
    const col = batch.columns[key];
    if (!col) {
      if (absent !== 0) for (let r = 0; r < batch.length; r++) out[pos[first + r]!] = absent;
      continue;
    }
    if (col.form === 'sparse') {
      scatterSparse(col, pos, first, out); // the other rows keep the 0 they were created with
      continue;
    }
    const v = denseValues(col, batch.length);
    for (let r = 0; r < batch.length; r++) out[pos[first + r]!] = v[r]!;
  }
  return out.subarray(0, n) as T;
}

/**
 * As gather, with `absent` also for the rows without a value; a sparse column (state changes are
 * a few rows of a batch) is read through its bitmap, only where it has values.
 */
function gatherValid<T extends ColumnArray>(store: EventStore, pos: Int32Array, n: number, key: string, out: T, absent: number): T {
  out.fill(absent);
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const first = store.batchStart[b]!;
    const col = batch.columns[key];
    if (!col) continue;
    if (col.form === 'sparse') scatterSparse(col, pos, first, out);
    else {
      const v = denseValues(col, batch.length);
      for (let r = 0; r < batch.length; r++) if (has(col.valid, r)) out[pos[first + r]!] = v[r]!;
    }
  }
  return out.subarray(0, n) as T;
}

/** The values of a sparse column to their rows' positions, through its bitmap. */
function scatterSparse(col: SparseColumn, pos: Int32Array, first: number, out: ColumnArray): void {
  const { valid, packed } = col;
  let k = 0;
  for (let byte = 0; byte < valid.length; byte++) {
    for (let m = valid[byte]!; m !== 0; m &= m - 1) out[pos[first + ((byte << 3) | (31 - Math.clz32(m & -m)))]!] = packed[k++]!;
  }
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
