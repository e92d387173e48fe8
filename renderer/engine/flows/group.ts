import { EVENTS, eventIndex } from '../model/events.js';
import { IPPROTO } from '../model/enums.js';
import { batchEvents, batchTimes, scatterPacked, type ColumnValues, type EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import { TupleMap } from './tuple-map.js';
import { groupBuffers, NO_DIR, NO_STATE, RECORD, TupleGroups, type GroupBuffers, type Tuple } from './tuple-groups.js';

export { NO_DIR, NO_STATE, TupleGroups, type Tuple };

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

const EMPTY = new Uint8Array(0);
/** Zeros to read in place of a column a batch does not have (never written). */
let zeros = new Uint8Array(65536);

/** Per column key: the array its sparse or constant batches are expanded into, reused by every batch and build. */
const expanded = new Map<string, ColumnValues>();

/**
 * One value per row of the batch's column `key` (0 where a row has none; zeros when the batch has
 * no such column), valid until the next call for the same key (the array may be longer than the batch).
 */
function values(batch: EventBatch, key: string): ColumnValues {
  const col = batch.columns[key];
  const n = batch.length;
  if (!col) {
    if (zeros.length < n) zeros = new Uint8Array(n);
    return zeros;
  }
  if (col.form === 'dense') return col.values;
  const Type = (col.form === 'sparse' ? col.packed.constructor : Float64Array) as new (n: number) => ColumnValues;
  let out = expanded.get(key);
  if (!out || out.length < n || out.constructor !== Type) expanded.set(key, (out = new Type(Math.max(n, 65536))));
  if (col.form === 'sparse') {
    out.fill(0, 0, n);
    scatterPacked(col.valid, col.packed, out);
  } else {
    out.fill(col.value, 0, n);
    if (col.valid) for (let r = 0; r < n; r++) if ((col.valid[r >>> 3]! & (1 << (r & 7))) === 0) out[r] = 0;
  }
  return out;
}

/** The validity bitmap of the batch's column `key`: null = every row has a value, EMPTY = none has. */
function validity(batch: EventBatch, key: string): Uint8Array | null {
  const col = batch.columns[key];
  return col ? col.valid : EMPTY;
}

const has = (valid: Uint8Array | null, r: number): boolean => valid === null || (valid.length > 0 && (valid[r >>> 3]! & (1 << (r & 7))) !== 0);

/**
 * Buffers kept between builds (the bench builds three times, the app rebuilds as a capture grows):
 * the row codes and the records are only needed while building, and fresh pages cost the kernel
 * about 0.1 s per 10M rows. Grown with headroom, never shrunk.
 */
const scratch = {
  codes: new Int32Array(0),
  buffer: new ArrayBuffer(0),
  code(n: number): Int32Array {
    if (this.codes.length < n) this.codes = new Int32Array(Math.ceil(n * 1.25));
    return this.codes.subarray(0, n);
  },
  records(bytes: number): ArrayBuffer {
    if (this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(Math.ceil((bytes * 1.25) / 32) * 32);
    return this.buffer;
  },
};

/**
 * Per global row while grouping: tuple id × 4 + fromA (0 = sent by B, 1 = by A, 2 = unknown), or
 * one of these.
 */
const LEFT_OUT = -1;
const BY_COOKIE = -2;

/**
 * Every row with protocol TCP and a full 4-tuple (packets, socket calls, state changes,
 * retransmits, resets, drops) joins its tuple's group; rows with only a socket cookie join the
 * tuple that cookie was first seen with. Derived flow.* rows are left out. Columnar passes: one
 * over the tuple columns giving each row its tuple, then a counting sort whose placing pass
 * copies every column a flow pass reads into group order at once.
 */
export function groupByTuple(store: EventStore, reuse?: GroupBuffers): TupleGroups {
  const code = scratch.code(store.rowCount);
  const { tuples, counts, orphans, orphanCookies } = assignTuples(store, code);
  if (orphans.length > 0) joinByCookie(store, code, orphans, orphanCookies, counts);
  const nt = tuples.length;
  const start = new Uint32Array(nt + 1);
  for (let t = 0; t < nt; t++) start[t + 1] = start[t]! + counts[t]!;
  const groups = new TupleGroups(tuples, start, scratch.records(start[nt]! * RECORD.SLOTS * 4), groupBuffers(start[nt]!, reuse));
  const unsorted = place(store, code, start, groups);
  for (let t = 0; t < nt; t++) if (unsorted[t]) groups.sortRange(start[t]!, start[t + 1]!);
  return groups;
}

/**
 * First pass: the code of each row (LEFT_OUT, BY_COOKIE, or its tuple and sender), and the number
 * of rows of each tuple. Reads only the event and tuple columns (the cookie for rows without a
 * tuple).
 */
function assignTuples(store: EventStore, code: Int32Array): Assigned {
  const assigned: Assigned = { map: new TupleMap(), tuples: [], counts: new Uint32Array(1024), orphans: [], orphanCookies: [] };
  for (let b = 0; b < store.batches.length; b++) assignBatch(store.batches[b]!, store.batchStart[b]!, code, assigned);
  return assigned;
}

/** What the first pass gathers, batch after batch. */
interface Assigned {
  readonly map: TupleMap;
  readonly tuples: Tuple[];
  /** Rows per tuple (grown as tuples are found). */
  counts: Uint32Array;
  /** Rows without a tuple, to join through their cookie, and those cookies. */
  readonly orphans: number[];
  readonly orphanCookies: number[];
}

/**
 * The first pass over one batch (global rows from `first`): a function per batch, not one loop
 * over the store, for the reason given at placeBatch.
 */
function assignBatch(batch: EventBatch, first: number, code: Int32Array, assigned: Assigned): void {
  const { map, tuples, orphans, orphanCookies } = assigned;
  let counts = assigned.counts;
  // the last tuple found, which the next row often shares
  let lastA = -1;
  let lastB = -1;
  let lastAPort = -1;
  let lastBPort = -1;
  let lastTuple = -1;
  // event indexes and constants as locals: the loop compares every row against them
  const { pkt: PKT, flowBegin: FLOW_BEGIN, flowEnd: FLOW_END } = EV;
  const TCP = IPPROTO.TCP;
  const isDrop = IS_DROP;
  const ev = batchEvents(batch);
  const proto = values(batch, 'proto');
  const sav = values(batch, 'saddr');
  const dav = values(batch, 'daddr');
  const sport = values(batch, 'sport');
  const dport = values(batch, 'dport');
  const cookie = values(batch, 'socket_cookie');
  // values hold 0 where a row has none: only the address columns need their bitmap (id 0 is an address)
  const sValid = validity(batch, 'saddr');
  const dValid = validity(batch, 'daddr');
  for (let r = 0; r < batch.length; r++) {
    const row = first + r;
    const e = ev[r]!;
    const p = proto[r]!;
    if (p !== TCP && p !== 0) {
      // another protocol (UDP, ICMP…): no TCP flow, whatever its ports or cookie
      code[row] = LEFT_OUT;
      continue;
    }
    const sp = p === TCP ? sport[r]! : 0;
    const dp = p === TCP ? dport[r]! : 0;
    if (e === FLOW_BEGIN || e === FLOW_END) {
      code[row] = LEFT_OUT;
    } else if (sp === 0 || dp === 0 || !has(sValid, r) || !has(dValid, r)) {
      // socket events without a tuple: joined through their cookie afterwards
      const ck = cookie[r]!;
      if (ck === 0 || e === PKT || isDrop[e] === 1) code[row] = LEFT_OUT;
      else {
        code[row] = BY_COOKIE;
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
      code[row] = (t << 2) | fromA;
      counts[t]!++;
    }
  }
  assigned.counts = counts;
}

/** Rows without a tuple join the tuple their cookie was first seen with (in row order), else are left out. */
function joinByCookie(store: EventStore, code: Int32Array, orphans: readonly number[], cookieOf: readonly number[], counts: Uint32Array): void {
  const wanted = new Map<number, number>();
  for (const ck of cookieOf) wanted.set(ck, LEFT_OUT);
  let missing = wanted.size;
  for (let b = 0; b < store.batches.length && missing > 0; b++) {
    const batch = store.batches[b]!;
    if (!batch.columns['socket_cookie']) continue;
    const cookie = values(batch, 'socket_cookie');
    const first = store.batchStart[b]!;
    for (let r = 0; r < batch.length; r++) {
      const ck = cookie[r]!;
      const c = code[first + r]!;
      if (ck === 0 || c < 0 || wanted.get(ck) !== LEFT_OUT) continue;
      wanted.set(ck, c >> 2);
      missing--;
    }
  }
  for (let k = 0; k < orphans.length; k++) {
    const t = wanted.get(cookieOf[k]!)!;
    code[orphans[k]!] = t < 0 ? LEFT_OUT : (t << 2) | 2;
    if (t >= 0) counts[t]!++;
  }
}

/**
 * The placing pass of the counting sort: each kept row goes to the next entry of its tuple, with
 * every copied field at once (packet fields only for packets). Returns which tuples came out of
 * time order (per-CPU delivery).
 */
function place(store: EventStore, code: Int32Array, start: Uint32Array, groups: TupleGroups): Uint8Array {
  const nt = start.length - 1;
  const fill = start.slice(0, nt);
  const unsorted = new Uint8Array(nt);
  for (let b = 0; b < store.batches.length; b++) placeBatch(store.batches[b]!, store.batchStart[b]!, code, start, fill, unsorted, groups);
  return unsorted;
}

/**
 * The placing pass over one batch (global rows from `first`). A function per batch rather than one
 * loop over the store: called once a build, the loop would run first in the interpreter until
 * on-stack replacement, and V8 would compile it again on every build (10–40 ms of compiler time);
 * called per batch, it is optimized once and stays so.
 */
function placeBatch(batch: EventBatch, first: number, code: Int32Array, start: Uint32Array, fill: Uint32Array, unsorted: Uint8Array, groups: TupleGroups): void {
  const { u, f, rows, times } = groups;
  // the event index and the record layout as locals: the loop reads no imported binding
  const { pkt: PKT, connect: CONNECT, connectError: CONNECT_ERROR } = EV;
  const { SLOTS, SEQ, SIZE, PKT_LEN, ERRNO, INFO, OWNER, HAS_PID, DIR_SHIFT, FLAGS_SHIFT, STATES_SHIFT, NO_DIR, NO_STATE } = RECORD;
  const ts = batchTimes(batch);
  const ev = batchEvents(batch);
  const ckV = values(batch, 'socket_cookie');
  const pidV = values(batch, 'pid');
  const ownerV = values(batch, 'pid_owner');
  const flagsV = values(batch, 'tcp_flags');
  const seqV = values(batch, 'tcp_seq');
  const sizeV = values(batch, 'size');
  const lenV = values(batch, 'pkt_len');
  const dirV = values(batch, 'direction');
  const noDir = batch.columns['direction'] === undefined;
  const newV = values(batch, 'state_new');
  const oldV = values(batch, 'state_old');
  const newValid = validity(batch, 'state_new');
  const oldValid = validity(batch, 'state_old');
  const errnoV = values(batch, 'errno');
  for (let r = 0; r < batch.length; r++) {
    const row = first + r;
    const c = code[row]!;
    if (c < 0) continue;
    const t = c >> 2;
    const p = fill[t]!++;
    const time = ts[r]!;
    // out of order when earlier than the tuple's previous entry (just written, still cached)
    if (p > start[t]! && time < times[p - 1]!) unsorted[t] = 1;
    rows[p] = row;
    times[p] = time;
    const k = p * SLOTS;
    f[k >> 1] = ckV[r]!;
    const e = ev[r]!;
    let info = e | ((c & 3) << 8) | (ownerV[r] !== 0 ? OWNER : 0) | (pidV[r] !== 0 ? HAS_PID : 0);
    if (e === PKT) {
      u[k + SEQ] = seqV[r]!;
      u[k + SIZE] = sizeV[r]!;
      u[k + PKT_LEN] = lenV[r]!;
      info |= ((noDir ? NO_DIR : dirV[r]! & 0xff) << DIR_SHIFT) | (flagsV[r]! << FLAGS_SHIFT);
    } else {
      info |= ((has(newValid, r) ? newV[r]! : NO_STATE) | ((has(oldValid, r) ? oldV[r]! : NO_STATE) << 8)) << STATES_SHIFT;
      // a connect's errno, read here where its batch is at hand rather than by row later
      if (e === CONNECT || e === CONNECT_ERROR) u[k + ERRNO] = errnoV[r]!;
    }
    u[k + INFO] = info;
  }
}
