import type { EventStore } from '../store/event-store.js';
import { TcpFlagBit, TcpOpt } from '../model/enums.js';
import { errnoName } from '../model/errno.js';
import { RowFields } from './row-fields.js';
import type { Tuple } from './tuple-groups.js';
import type { FlowSummary, HandshakeStatus, ResetInfo, Side, SynOptions, Teardown } from './types.js';

/**
 * Number columns of FlowFacts (NaN where the summary has null), `n` entries each. Made as one
 * object literal: an object given 25 properties one key at a time turns into a dictionary, and
 * each of the ~20 column lookups a flow's analysis makes then costs a hash lookup (≈ 20 ms per
 * 50,000 flows).
 */
function numberColumns(n: number) {
  return {
    packetsToServer: new Float64Array(n),
    packetsToClient: new Float64Array(n),
    bytesToServer: new Float64Array(n),
    bytesToClient: new Float64Array(n),
    payloadToServer: new Float64Array(n),
    payloadToClient: new Float64Array(n),
    retransmissions: new Float64Array(n),
    kernelRetransmits: new Float64Array(n),
    drops: new Float64Array(n),
    /** Row whose task gives the flow's pid and command name (read when a summary is made), −1: none. */
    procRow: new Float64Array(n),
    /** Time of the client's first SYN (the others, when retransmitted, are in `synTimes`). */
    firstSyn: new Float64Array(n),
    rttNs: new Float64Array(n),
    synToSynackNs: new Float64Array(n),
    synackToAckNs: new Float64Array(n),
    /** errno number of the client's connect. */
    connectErrno: new Float64Array(n),
    beginTs: new Float64Array(n),
    beginRow: new Float64Array(n),
    endTs: new Float64Array(n),
    endRow: new Float64Array(n),
    /** The first local socket cookie (the others are in `cookies`), 0: none. */
    cookie: new Float64Array(n),
    /**
     * The client's SYN (or SYN-ACK) and the server's SYN-ACK (or SYN), whose options a summary
     * reads from the store (−1: none): read while building, each a few cache misses, they cost
     * more than the rest of a flow's summary.
     */
    clientSynRow: new Float64Array(n),
    serverSynRow: new Float64Array(n),
  };
}

const NUMBERS = Object.keys(numberColumns(0)) as NumberColumn[];

/** Small integer columns of FlowFacts. */
const CODES = [
  'tuple',
  'clientIsA',
  /** −1: unknown, 0: incoming, 1: outgoing. */
  'direction',
  /** Index in STATUSES. */
  'status',
  'synCount',
  'synackCount',
  /** HS_* bits. */
  'bits',
  /** Index in ENDS. */
  'end',
  /** Index in FIN_BY. */
  'finBy',
  /** −1: none, else the side (1 = client). */
  'timeWait',
] as const;

export type NumberColumn = keyof ReturnType<typeof numberColumns>;
export type CodeColumn = (typeof CODES)[number];

export const STATUSES: readonly HandshakeStatus[] = ['established', 'refused', 'timeout', 'incomplete', 'not_seen'];
export const ENDS: readonly Teardown['end'][] = ['open', 'fin', 'rst'];
/** Sides that sent a FIN, in order: the code is the index here. */
export const FIN_BY: readonly (readonly Side[])[] = [[], ['client'], ['server'], ['client', 'server'], ['server', 'client']];
const DIRECTIONS = ['incoming', 'outgoing'] as const;
const SIDE: readonly Side[] = ['server', 'client'];

export const HS_SIMULTANEOUS = 1;
export const HS_HALF_OPEN = 2;
/** The RTT is an outlier among the table's handshakes (SYN/SYN-ACK retransmissions count as slow anyway). */
export const HS_SLOW_RTT = 4;


/**
 * The summaries of a table's flows as columns (one entry per flow id), with the few values that
 * are lists or objects (retransmitted SYN times, several sockets, resets) in maps by flow id.
 * Sorting and filtering the list read the columns; a FlowSummary object is made only for the
 * flows a caller asks for (`summary`), so a table of 50,000 flows keeps no 50,000 objects.
 */
export class FlowFacts {
  count = 0;
  readonly num: Record<NumberColumn, Float64Array>;
  readonly code = {} as Record<CodeColumn, Int32Array>;
  /** Every SYN time of flows whose SYN was retransmitted. */
  readonly synTimes = new Map<number, number[]>();
  /** Every socket cookie of flows with more than one. */
  readonly cookies = new Map<number, number[]>();
  readonly handshakeReset = new Map<number, ResetInfo>();
  readonly teardownReset = new Map<number, ResetInfo>();

  constructor(capacity = 1024) {
    this.num = numberColumns(capacity);
    for (const k of CODES) this.code[k] = new Int32Array(capacity);
  }

  /**
   * These columns emptied for a new table (a rebuild's): every column of a flow is written when
   * the flow is added, so the old values need no clearing.
   */
  reuse(): this {
    this.count = 0;
    this.synTimes.clear();
    this.cookies.clear();
    this.handshakeReset.clear();
    this.teardownReset.clear();
    return this;
  }

  /** The id of a new flow, its columns to be written. */
  add(): number {
    const id = this.count++;
    if (id === this.num.procRow.length) {
      for (const k of NUMBERS) this.num[k] = grown(this.num[k], new Float64Array(id * 2));
      for (const k of CODES) this.code[k] = grown(this.code[k], new Int32Array(id * 2));
    }
    return id;
  }

  /** The options one side (1 = client) put on its SYN / SYN-ACK, or null. */
  synOptions(id: number, side: 0 | 1, f: RowFields): SynOptions | null {
    const row = this.num[side ? 'clientSynRow' : 'serverSynRow'][id]!;
    if (row < 0) return null;
    f.at(row);
    const opts = f.or('tcp_options', 0);
    const flags = f.or('tcp_flags', 0);
    const ece = (flags & TcpFlagBit.ECE) !== 0;
    return {
      mss: opts & TcpOpt.MSS ? f.or('tcp_mss', 0) : null,
      wscale: opts & TcpOpt.WSCALE ? f.or('tcp_wscale', 0) : null,
      sack: (opts & TcpOpt.SACK_PERM) !== 0,
      timestamps: (opts & TcpOpt.TIMESTAMPS) !== 0,
      ecn: side ? ece && (flags & TcpFlagBit.CWR) !== 0 : ece,
    };
  }

  /** The pid of the flow's process, or null. */
  pid(id: number, f: RowFields): number | null {
    const row = this.num.procRow[id]!;
    return row < 0 ? null : f.at(row).or('pid', 0);
  }

  /** The command name of the flow's process, or null. */
  comm(id: number, f: RowFields): string | null {
    const row = this.num.procRow[id]!;
    return row < 0 ? null : f.at(row).str('comm');
  }

  /** Flow `id` as an object (a new one on each call). */
  summary(id: number, t: SummaryContext): FlowSummary {
    const { num, code } = this;
    const tuple = t.tuples[code.tuple[id]!]!;
    const clientIsA = code.clientIsA[id]!;
    const cAddr = clientIsA ? tuple.aAddr : tuple.bAddr;
    const sAddr = clientIsA ? tuple.bAddr : tuple.aAddr;
    const addrs = t.store.dicts.addrs;
    const synCount = code.synCount[id]!;
    const synackCount = code.synackCount[id]!;
    const bits = code.bits[id]!;
    const f = new RowFields(t.store);
    const clientOpts = this.synOptions(id, 1, f);
    const serverOpts = this.synOptions(id, 0, f);
    const both = clientOpts && serverOpts ? { c: clientOpts, s: serverOpts } : null;
    const errno = num.connectErrno[id]!;
    const direction = code.direction[id]!;
    const timeWait = code.timeWait[id]!;
    const firstCookie = num.cookie[id]!;
    const lo = t.start[id]!;
    const hi = t.start[id + 1]!;
    return {
      id,
      proto: 'tcp',
      ipver: addrs.version(cAddr),
      client: { addr: addrs.text(cAddr), port: clientIsA ? tuple.aPort : tuple.bPort },
      server: { addr: addrs.text(sAddr), port: clientIsA ? tuple.bPort : tuple.aPort },
      direction: direction < 0 ? null : DIRECTIONS[direction]!,
      serverNames: t.store.dns.namesOf(sAddr),
      cookies: this.cookies.get(id)?.slice() ?? (firstCookie !== 0 ? [firstCookie] : []),
      firstTs: t.times[lo]!,
      lastTs: t.times[hi - 1]!,
      rowCount: hi - lo,
      firstRow: t.rows[lo]!,
      packets: num.packetsToServer[id]! + num.packetsToClient[id]!,
      packetsToServer: num.packetsToServer[id]!,
      packetsToClient: num.packetsToClient[id]!,
      bytesToServer: num.bytesToServer[id]!,
      bytesToClient: num.bytesToClient[id]!,
      payloadToServer: num.payloadToServer[id]!,
      payloadToClient: num.payloadToClient[id]!,
      pid: this.pid(id, f),
      comm: this.comm(id, f),
      handshake: {
        status: STATUSES[code.status[id]!]!,
        synRetransmits: Math.max(0, synCount - 1),
        synTimes: this.synTimes.get(id)?.slice() ?? (synCount > 0 ? [num.firstSyn[id]!] : []),
        synackRetransmits: Math.max(0, synackCount - 1),
        rttNs: nullable(num.rttNs[id]!),
        synToSynackNs: nullable(num.synToSynackNs[id]!),
        synackToAckNs: nullable(num.synackToAckNs[id]!),
        mss: minOf(clientOpts?.mss ?? null, serverOpts?.mss ?? null),
        wscale: both && both.c.wscale !== null && both.s.wscale !== null ? { client: both.c.wscale, server: both.s.wscale } : null,
        sack: !!both && both.c.sack && both.s.sack,
        timestamps: !!both && both.c.timestamps && both.s.timestamps,
        ecn: !!both && both.c.ecn && both.s.ecn,
        client: clientOpts,
        server: serverOpts,
        simultaneousOpen: (bits & HS_SIMULTANEOUS) !== 0,
        halfOpen: (bits & HS_HALF_OPEN) !== 0,
        slow: synCount > 1 || synackCount > 1 || (bits & HS_SLOW_RTT) !== 0,
        reset: this.handshakeReset.get(id) ?? null,
        connectErrno: Number.isNaN(errno) ? null : errnoName(errno),
      },
      teardown: {
        end: ENDS[code.end[id]!]!,
        finBy: FIN_BY[code.finBy[id]!]!.slice(),
        reset: this.teardownReset.get(id) ?? null,
        timeWait: timeWait < 0 ? null : SIDE[timeWait]!,
      },
      retransmissions: num.retransmissions[id]!,
      kernelRetransmits: num.kernelRetransmits[id]!,
      drops: num.drops[id]!,
      begin: Number.isNaN(num.beginTs[id]!) ? null : { ts: num.beginTs[id]!, row: num.beginRow[id]! },
      endAt: Number.isNaN(num.endTs[id]!) ? null : { ts: num.endTs[id]!, row: num.endRow[id]! },
    };
  }
}

/** What a summary reads besides the facts: the store, the tuples, and the table's rows by flow. */
export interface SummaryContext {
  readonly store: EventStore;
  readonly tuples: readonly Tuple[];
  readonly rows: Uint32Array;
  readonly times: Float64Array;
  readonly start: Uint32Array;
}

/** `bigger` holding `old`'s values first. */
export function grown<T extends Float64Array | Int32Array | Uint8Array | Int8Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}

const nullable = (v: number): number | null => (Number.isNaN(v) ? null : v);

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
