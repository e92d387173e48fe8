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
 * Layout of one entry's record: 6 Uint32 slots (24 bytes), the first two holding the socket
 * cookie as a Float64; the global row and the time are in arrays of their own (`rows`, `times`,
 * what the flow table keeps). One record per row rather than one array per field: placing rows
 * into their groups writes three streams per tuple instead of one per tuple and field, which keeps
 * the pages being written within the TLB when hundreds of connections interleave.
 */
export const SLOTS = 6;
export const SEQ = 2;
export const SIZE = 3;
export const PKT_LEN = 4;
/** In sock.connect and sock.connect_error rows, the slot of SEQ holds the call's errno (0: none). */
export const ERRNO = SEQ;
/**
 * event | fromA << 8 | OWNER | HAS_PID, and in pkt.tcp rows dir << DIR_SHIFT | TCP flags <<
 * FLAGS_SHIFT, in other rows (stateNew | stateOld << 8) << STATES_SHIFT.
 */
export const INFO = 5;
/** Bit of INFO: pid is the socket's owner. */
export const OWNER = 1 << 10;
/** Bit of INFO: the row has a pid (read from the store for the few rows that decide a flow's process). */
export const HAS_PID = 1 << 11;
export const DIR_SHIFT = 12;
/** The TCP flags (12 bits: FIN … NS and the reserved bits). */
export const FLAGS_SHIFT = 20;
export const STATES_SHIFT = 16;

/**
 * The layout above as one object, for the hot loops to take apart into locals: a loop reading
 * imported bindings loads and checks each of them on every row (about 1.4× the time of a loop
 * over locals, measured in isolation).
 */
export const RECORD = { SLOTS, SEQ, SIZE, PKT_LEN, ERRNO, INFO, OWNER, HAS_PID, DIR_SHIFT, FLAGS_SHIFT, STATES_SHIFT, NO_DIR, NO_STATE } as const;

/** Room for the arrays a flow table keeps, one entry per grouped row. */
export interface GroupBuffers {
  readonly rows: ArrayBuffer;
  readonly times: ArrayBuffer;
  readonly fromClient: ArrayBuffer;
}

/**
 * Buffers for n entries: `old`'s when they are big enough (a table being rebuilt as its store
 * grew, or rebuilt the same), else new ones with a quarter of headroom for the next rebuild.
 */
export function groupBuffers(n: number, old: GroupBuffers | undefined): GroupBuffers {
  if (old && old.fromClient.byteLength >= n) return old;
  const room = Math.ceil(n * 1.25);
  return { rows: new ArrayBuffer(room * 4), times: new ArrayBuffer(room * 8), fromClient: new ArrayBuffer(room) };
}

/**
 * The TCP rows of a store grouped by 4-tuple, each group in time order: entries
 * `[start[t], start[t+1])` are tuple t's. Per entry, its global row (`rows`), its time (`times`)
 * and a record of the fields the flow passes read, copied out of the store's columns once: for
 * every row `fromA` (1 = the row's source endpoint is A, 0 = B, 2 = unknown: a row joined through
 * its socket cookie), event, socket cookie (0 where a row has none), whether it has a pid and an
 * owner; for pkt.tcp rows only (undefined in other rows) flags, seq, size, IP length and direction
 * (NO_DIR in a batch without directions); for other rows `stateNew` / `stateOld` (NO_STATE where
 * a row has none), and for connects their errno. Anything
 * else is read from the store through the row. The flow passes read the records directly
 * (`u[i * SLOTS + INFO]`, the cookie at `f[i * SLOTS / 2]`), which keeps their loops free of calls.
 */
export class TupleGroups {
  readonly u: Uint32Array;
  readonly f: Float64Array;
  readonly rows: Uint32Array;
  readonly times: Float64Array;

  constructor(
    readonly tuples: readonly Tuple[],
    readonly start: Uint32Array,
    /** Room for the records (at least length × SLOTS × 4 bytes; reused between builds, not zeroed). */
    records: ArrayBuffer = new ArrayBuffer(start[start.length - 1]! * SLOTS * 4),
    /** Buffers for `rows` and `times` (at least length × 4 and × 8 bytes), e.g. a retired table's. */
    readonly buffers: GroupBuffers = groupBuffers(start[start.length - 1]!, undefined),
  ) {
    const n = start[start.length - 1]!;
    this.u = new Uint32Array(records, 0, n * SLOTS);
    this.f = new Float64Array(records, 0, (n * SLOTS) / 2);
    this.rows = new Uint32Array(buffers.rows, 0, n);
    this.times = new Float64Array(buffers.times, 0, n);
  }

  get length(): number {
    return this.rows.length;
  }

  /** Puts entries [lo, hi) in (time, row) order. */
  sortRange(lo: number, hi: number): void {
    const { rows, times, u } = this;
    const perm = Array.from({ length: hi - lo }, (_, k) => lo + k).sort((x, y) => times[x]! - times[y]! || rows[x]! - rows[y]!);
    const moved = new Uint32Array((hi - lo) * SLOTS);
    for (let k = 0; k < perm.length; k++) moved.set(u.subarray(perm[k]! * SLOTS, (perm[k]! + 1) * SLOTS), k * SLOTS);
    u.set(moved, lo * SLOTS);
    rows.set(perm.map((i) => rows[i]!), lo);
    times.set(perm.map((i) => times[i]!), lo);
  }
}
