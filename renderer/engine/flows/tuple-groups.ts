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
 * Layout of one entry: 12 Uint32 slots (48 bytes), the first four holding two Float64s (time,
 * socket cookie). One record per row rather than one array per field: placing rows into their
 * groups writes one stream per tuple instead of one per tuple and field, which keeps the pages
 * being written within the TLB when hundreds of connections interleave.
 */
export const SLOTS = 12;
const F64_SLOTS = SLOTS / 2;
export const ROW = 4;
export const PID = 5;
export const SEQ = 6;
export const SIZE = 7;
export const PKT_LEN = 8;
export const FLAGS = 9;
/** event | fromA << 8 | owner << 10 | dir << 16 */
export const INFO = 10;
/** stateNew | stateOld << 8 */
export const STATES = 11;

/**
 * The TCP rows of a store grouped by 4-tuple, each group in time order: entries
 * `[start[t], start[t+1])` are tuple t's. Per entry, the fields the flow passes read, copied out
 * of the store's columns once: for every row its global row, time, `fromA` (1 = the row's source
 * endpoint is A, 0 = B, 2 = unknown: a row joined through its socket cookie), event, socket cookie,
 * pid, owner (0 where a row has none), `stateNew` / `stateOld` (NO_STATE where a row has none);
 * for pkt.tcp rows only (0 in other rows) flags, seq, size, IP length and direction (NO_DIR in a
 * batch without directions). Anything else is read from the store through the row.
 */
export class TupleGroups {
  readonly u: Uint32Array;
  readonly f: Float64Array;

  constructor(
    readonly tuples: readonly Tuple[],
    readonly start: Uint32Array,
    /** SLOTS × 4 bytes per entry. */
    buffer: ArrayBuffer,
  ) {
    this.u = new Uint32Array(buffer);
    this.f = new Float64Array(buffer);
  }

  get length(): number {
    return this.u.length / SLOTS;
  }

  row(i: number): number {
    return this.u[i * SLOTS + ROW]!;
  }
  ts(i: number): number {
    return this.f[i * F64_SLOTS]!;
  }
  cookie(i: number): number {
    return this.f[i * F64_SLOTS + 1]!;
  }
  event(i: number): number {
    return this.u[i * SLOTS + INFO]! & 0xff;
  }
  fromA(i: number): number {
    return (this.u[i * SLOTS + INFO]! >>> 8) & 3;
  }
  /** 1: pid is the socket's owner. */
  owner(i: number): number {
    return (this.u[i * SLOTS + INFO]! >>> 10) & 1;
  }
  dir(i: number): number {
    return this.u[i * SLOTS + INFO]! >>> 16;
  }
  pid(i: number): number {
    return this.u[i * SLOTS + PID]!;
  }
  flags(i: number): number {
    return this.u[i * SLOTS + FLAGS]!;
  }
  seq(i: number): number {
    return this.u[i * SLOTS + SEQ]!;
  }
  size(i: number): number {
    return this.u[i * SLOTS + SIZE]!;
  }
  pktLen(i: number): number {
    return this.u[i * SLOTS + PKT_LEN]!;
  }
  stateNew(i: number): number {
    return this.u[i * SLOTS + STATES]! & 0xff;
  }
  stateOld(i: number): number {
    return this.u[i * SLOTS + STATES]! >>> 8;
  }

  /** Global rows of every entry, in entry order. */
  rows(): Uint32Array {
    const out = new Uint32Array(this.length);
    const u = this.u;
    for (let i = 0; i < out.length; i++) out[i] = u[i * SLOTS + ROW]!;
    return out;
  }

  /** Times of every entry, in entry order. */
  times(): Float64Array {
    const out = new Float64Array(this.length);
    const f = this.f;
    for (let i = 0; i < out.length; i++) out[i] = f[i * F64_SLOTS]!;
    return out;
  }

  /** Puts entries [lo, hi) in (time, row) order. */
  sortRange(lo: number, hi: number): void {
    const perm = Array.from({ length: hi - lo }, (_, k) => lo + k).sort((x, y) => this.ts(x) - this.ts(y) || this.row(x) - this.row(y));
    const u = this.u;
    const moved = new Uint32Array((hi - lo) * SLOTS);
    for (let k = 0; k < perm.length; k++) moved.set(u.subarray(perm[k]! * SLOTS, (perm[k]! + 1) * SLOTS), k * SLOTS);
    u.set(moved, lo * SLOTS);
  }
}
