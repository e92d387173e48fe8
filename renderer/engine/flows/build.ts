import { compileFilter, evaluateFilter } from '../filter/filter.js';
import type { EventStore } from '../store/event-store.js';
import { analyzeFlow } from './analyze.js';
import { groupByTuple } from './group.js';
import { RowFields } from './row-fields.js';
import { SidesFinder } from './sides.js';
import { splitTuple } from './split.js';
import type { FlowList, FlowsArgs, FlowSortKey, FlowSummary } from './types.js';

/** An RTT this many times the median of the table's handshakes marks a flow's handshake as slow. */
export const SLOW_RTT_FACTOR = 3;
/** …when at least this many handshakes have an RTT. */
export const SLOW_RTT_MIN_FLOWS = 5;

/**
 * The TCP connections of a store, as of `rowCount` rows: summaries, and each flow's rows in time
 * order (`rows[start[id] … start[id+1])`). Rebuild when the store grows.
 */
export class FlowTable {
  private rowFlow: Int32Array | undefined;

  constructor(
    readonly store: EventStore,
    readonly flows: readonly FlowSummary[],
    /** Global rows grouped by flow, time order within each. */
    readonly rows: Uint32Array,
    readonly ts: Float64Array,
    /** Per entry of `rows`: 1 = sent by (or socket of) the client, 0 = server, −1 = unknown. */
    readonly fromClient: Int8Array,
    readonly start: Uint32Array,
    /** Store rows when the table was built. */
    readonly rowCount: number,
  ) {}

  /** The flow a global row belongs to, or −1. */
  flowOf(row: number): number {
    if (!this.rowFlow) {
      const m = new Int32Array(this.rowCount).fill(-1);
      for (let k = 0; k < this.flows.length; k++) for (let i = this.start[k]!; i < this.start[k + 1]!; i++) m[this.rows[i]!] = k;
      this.rowFlow = m;
    }
    return row >= 0 && row < this.rowFlow.length ? this.rowFlow[row]! : -1;
  }

  /** Flows with a row the filter keeps, sorted, one page of them. Throws InputError for a bad filter. */
  list(args: FlowsArgs = {}): FlowList {
    let ids = this.flows.map((f) => f.id);
    const filter = args.filter?.trim() ?? '';
    if (filter !== '') {
      const mask = evaluateFilter(this.store, compileFilter(filter));
      ids = ids.filter((k) => {
        for (let i = this.start[k]!; i < this.start[k + 1]!; i++) if (mask.bits[this.rows[i]!] === 1) return true;
        return false;
      });
    }
    if (args.sort) {
      const key = sortKey(args.sort.key);
      const sign = args.sort.descending ? -1 : 1;
      ids.sort((a, b) => sign * compare(key(this.flows[a]!), key(this.flows[b]!)) || a - b);
    }
    const offset = args.offset ?? 0;
    const limit = args.limit ?? ids.length;
    return { total: ids.length, flows: ids.slice(offset, offset + limit).map((k) => this.flows[k]!) };
  }
}

const STATUS_ORDER = ['refused', 'timeout', 'incomplete', 'not_seen', 'established'];

function sortKey(key: FlowSortKey): (f: FlowSummary) => number | string {
  switch (key) {
    case 'start':
      return (f) => f.firstTs;
    case 'duration':
      return (f) => f.lastTs - f.firstTs;
    case 'bytes_to_server':
      return (f) => f.bytesToServer;
    case 'bytes_to_client':
      return (f) => f.bytesToClient;
    case 'retransmissions':
      return (f) => f.retransmissions;
    case 'packets':
      return (f) => f.packets;
    case 'handshake':
      return (f) => STATUS_ORDER.indexOf(f.handshake.status);
    case 'rtt':
      return (f) => f.handshake.rttNs ?? Infinity;
    case 'process':
      return (f) => f.comm ?? '\uffff';
  }
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Derives every TCP flow of the store (see docs/flows.md for the rules). */
export function buildFlows(store: EventStore): FlowTable {
  const g = groupByTuple(store);
  const f = new RowFields(store);
  const flows: FlowSummary[] = [];
  const start: number[] = [];
  const n = g.length;
  const fromClient = new Int8Array(n);
  const finder = new SidesFinder(g);
  for (let t = 0; t < g.tuples.length; t++) {
    const { bounds, sides } = splitTuple(g, t, finder);
    for (let k = 0; k + 1 < bounds.length; k++) {
      const lo = bounds[k]!;
      start.push(lo);
      flows.push(analyzeFlow(g, t, lo, bounds[k + 1]!, sides[k]!, f, flows.length, fromClient));
    }
  }
  start.push(n);
  markSlowHandshakes(flows);
  return new FlowTable(store, flows, g.rows, g.times, fromClient, Uint32Array.from(start), store.rowCount);
}

/** Handshakes whose RTT is SLOW_RTT_FACTOR × the median of the table's, when there are enough to say. */
function markSlowHandshakes(flows: FlowSummary[]): void {
  const rtts = flows.map((fl) => fl.handshake.rttNs).filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (rtts.length < SLOW_RTT_MIN_FLOWS) return;
  const median = rtts[rtts.length >> 1]!;
  for (const fl of flows) {
    const rtt = fl.handshake.rttNs;
    if (rtt !== null && rtt > SLOW_RTT_FACTOR * median) (fl.handshake as { slow: boolean }).slow = true;
  }
}
