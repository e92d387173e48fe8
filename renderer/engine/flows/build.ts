import { compileFilter, evaluateFilter } from '../filter/filter.js';
import type { EventStore } from '../store/event-store.js';
import { analyzeFlow } from './analyze.js';
import { FlowFacts, HS_SLOW_RTT, STATUSES } from './facts.js';
import { groupByTuple, type Tuple, type TupleGroups } from './group.js';
import type { GroupBuffers } from './tuple-groups.js';
import { RowFields } from './row-fields.js';
import { SidesFinder, type Sides } from './sides.js';
import { splitTuple, type FlowSink } from './split.js';
import type { FlowList, FlowsArgs, FlowSortKey, FlowSummary } from './types.js';

/** An RTT this many times the median of the table's handshakes marks a flow's handshake as slow. */
export const SLOW_RTT_FACTOR = 3;
/** …when at least this many handshakes have an RTT. */
export const SLOW_RTT_MIN_FLOWS = 5;

/**
 * The TCP connections of a store, as of `rowCount` rows: their summaries (as columns, objects made
 * on request: `flow`, `list`), and each flow's rows in time order (`rows[start[id] … start[id+1])`).
 * Rebuild when the store grows.
 */
export class FlowTable {
  private rowFlow: Int32Array | undefined;
  private every: readonly FlowSummary[] | undefined;
  private retired = false;

  constructor(
    readonly store: EventStore,
    readonly facts: FlowFacts,
    readonly tuples: readonly Tuple[],
    /** Global rows grouped by flow, time order within each. */
    readonly rows: Uint32Array,
    readonly ts: Float64Array,
    /** Per entry of `rows`: 1 = sent by (or socket of) the client, 0 = server, −1 = unknown. */
    readonly fromClient: Int8Array,
    readonly start: Uint32Array,
    /** Store rows when the table was built. */
    readonly rowCount: number,
    /** What `rows`, `ts` and `fromClient` are views of (with room to spare, for the next build). */
    private readonly buffers: GroupBuffers,
  ) {}

  /**
   * Hands this table's buffers and fact columns over to the build replacing it (`buildFlows(store,
   * old)`): the table cannot be used afterwards.
   */
  retire(): { buffers: GroupBuffers; facts: FlowFacts } {
    this.retired = true;
    this.every = undefined;
    this.rowFlow = undefined;
    return { buffers: this.buffers, facts: this.facts };
  }

  private live(): void {
    if (this.retired) throw new Error('flow table used after it was rebuilt');
  }

  /** Number of flows (ids are 0 … count − 1). */
  get count(): number {
    this.live(); // a retired table's facts belong to the table that replaced it
    return this.facts.count;
  }

  /** The summary of flow `id` (a new object), or undefined. */
  flow(id: number): FlowSummary | undefined {
    this.live();
    if (!Number.isInteger(id) || id < 0 || id >= this.count) return undefined;
    return this.facts.summary(id, { store: this.store, tuples: this.tuples, rows: this.rows, times: this.ts, start: this.start });
  }

  /** Every flow's summary, by id (made on first use: prefer `list` for a page). */
  get flows(): readonly FlowSummary[] {
    this.every ??= Array.from({ length: this.count }, (_, k) => this.flow(k)!);
    return this.every;
  }

  /** The flow a global row belongs to, or −1. */
  flowOf(row: number): number {
    this.live();
    if (!this.rowFlow) {
      const m = new Int32Array(this.rowCount).fill(-1);
      const n = this.count;
      for (let k = 0; k < n; k++) for (let i = this.start[k]!; i < this.start[k + 1]!; i++) m[this.rows[i]!] = k;
      this.rowFlow = m;
    }
    return row >= 0 && row < this.rowFlow.length ? this.rowFlow[row]! : -1;
  }

  /** Ids of the flows with a row the filter keeps, sorted (every one when no page is asked). Throws InputError for a bad filter. */
  ids(args: FlowsArgs = {}): number[] {
    this.live();
    let ids = Array.from({ length: this.count }, (_, k) => k);
    const filter = args.filter?.trim() ?? '';
    if (filter !== '') {
      const mask = evaluateFilter(this.store, compileFilter(filter));
      ids = ids.filter((k) => {
        for (let i = this.start[k]!; i < this.start[k + 1]!; i++) if (mask.bits[this.rows[i]!] === 1) return true;
        return false;
      });
    }
    if (args.sort) {
      const key = this.sortKeys(args.sort.key);
      const sign = args.sort.descending ? -1 : 1;
      ids.sort((a, b) => sign * compare(key[a]!, key[b]!) || a - b);
    }
    return ids;
  }

  /** Flows with a row the filter keeps, sorted, one page of them. Throws InputError for a bad filter. */
  list(args: FlowsArgs = {}): FlowList {
    const ids = this.ids(args);
    const offset = args.offset ?? 0;
    const limit = args.limit ?? ids.length;
    return { total: ids.length, flows: ids.slice(offset, offset + limit).map((k) => this.flow(k)!) };
  }

  /** The sort key of every flow, by id. */
  private sortKeys(key: FlowSortKey): ArrayLike<number | string> {
    const { num, code } = this.facts;
    const n = this.count;
    const first = (k: number): number => this.ts[this.start[k]!]!;
    const last = (k: number): number => this.ts[this.start[k + 1]! - 1]!;
    switch (key) {
      case 'start':
        return Float64Array.from({ length: n }, (_, k) => first(k));
      case 'duration':
        return Float64Array.from({ length: n }, (_, k) => last(k) - first(k));
      case 'bytes_to_server':
        return num.bytesToServer;
      case 'bytes_to_client':
        return num.bytesToClient;
      case 'retransmissions':
        return num.retransmissions;
      case 'packets':
        return Float64Array.from({ length: n }, (_, k) => num.packetsToServer[k]! + num.packetsToClient[k]!);
      case 'handshake':
        return Float64Array.from({ length: n }, (_, k) => STATUS_ORDER.indexOf(STATUSES[code.status[k]!]!));
      case 'rtt':
        return Float64Array.from({ length: n }, (_, k) => (Number.isNaN(num.rttNs[k]!) ? Infinity : num.rttNs[k]!));
      case 'process': {
        const f = new RowFields(this.store);
        return Array.from({ length: n }, (_, k) => this.facts.comm(k, f) ?? '\uffff');
      }
    }
  }
}

const STATUS_ORDER = ['refused', 'timeout', 'incomplete', 'not_seen', 'established'];

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Derives every TCP flow of the store (see docs/flows.md for the rules). A rebuild passes the
 * table it replaces as `previous`, whose buffers it reuses: that table is retired.
 */
export function buildFlows(store: EventStore, previous?: FlowTable): FlowTable {
  // a rebuild writes into the columns of the table it replaces (tens of MB at 50,000 flows)
  const old = previous?.retire();
  const facts = old ? old.facts.reuse() : new FlowFacts();
  const g = groupByTuple(store, old?.buffers);
  const f = new RowFields(store);
  const n = g.length;
  const fromClient = new Int8Array(g.buffers.fromClient, 0, n);
  const finder = new SidesFinder(g);
  const analysis = new Analysis(g, f, facts, fromClient);
  for (; analysis.t < g.tuples.length; analysis.t++) splitTuple(g, analysis.t, finder, analysis);
  analysis.start.push(n);
  markSlowHandshakes(facts);
  return new FlowTable(store, facts, g.tuples, g.rows, g.times, fromClient, Uint32Array.from(analysis.start), store.rowCount, g.buffers);
}

/** Analyses each connection of tuple `t` as splitTuple cuts it, noting where each flow starts. */
class Analysis implements FlowSink {
  t = 0;
  readonly start: number[] = [];

  constructor(
    private readonly g: TupleGroups,
    private readonly f: RowFields,
    private readonly facts: FlowFacts,
    private readonly fromClient: Int8Array,
  ) {}

  flow(lo: number, hi: number, sides: Sides): void {
    this.start.push(lo);
    analyzeFlow(this.g, this.t, lo, hi, sides, this.f, this.facts, this.fromClient);
  }
}

/** Handshakes whose RTT is SLOW_RTT_FACTOR × the median of the table's, when there are enough to say. */
function markSlowHandshakes(facts: FlowFacts): void {
  const all = facts.num.rttNs.subarray(0, facts.count);
  const rtts = all.filter((v) => !Number.isNaN(v)).sort();
  if (rtts.length < SLOW_RTT_MIN_FLOWS) return;
  const median = rtts[rtts.length >> 1]!;
  for (let k = 0; k < all.length; k++) if (all[k]! > SLOW_RTT_FACTOR * median) facts.code.bits[k]! |= HS_SLOW_RTT;
}
