import { InputError } from './errors.js';
import { compileFilter } from './filter/filter.js';
import { buildFlows, type FlowTable } from './flows/build.js';
import { DEFAULT_LADDER_LIMIT, flowLadder } from './flows/ladder.js';
import { DEFAULT_BUCKETS, MAX_BUCKETS, flowSeries } from './flows/series.js';
import type { FlowLadder, FlowList, FlowSeries, FlowsArgs } from './flows/types.js';
import type { Importer } from './formats/importer.js';
import { LaneIndex } from './index/lane-index.js';
import { LodSummary } from './index/lod-summary.js';
import { TimeIndex } from './index/time-index.js';
import { FIELD_BY_KEY } from './model/fields.js';
import { countEvents, type EventCounts } from './query/counts.js';
import { rowDetails, type RowDetails } from './query/details.js';
import { LaneGroups, GROUP_BYS, type GroupBy, type GroupLod, type GroupProgress } from './query/lane-groups.js';
import { lodBuckets, type LodBuckets } from './query/lod.js';
import { RowOrders, rowPage, type RowPage } from './query/page.js';
import { RowSets, type RowSetSpec } from './query/row-sets.js';
import { eventMarks, pickRow, rowPlace, type EventMarks, type RowPlace } from './query/timeline-marks.js';
import { EventStore } from './store/event-store.js';
import type { TraceMeta } from './store/trace-meta.js';

/*
 * Times in every argument and result are ns relative to `baseNs` (a Number, exact to 2^53 ns ≈
 * 104 days), except where a field says "absolute". Every method takes one plain object and returns
 * plain data (numbers, strings, bigints, typed arrays), so that worker.ts can post it unchanged.
 */

export interface LodArgs extends RowSetSpec {
  /** Window [t0, t1), relative ns. */
  readonly t0: number;
  readonly t1: number;
  /** Pixel columns, 1 … MAX_LOD_WIDTH. */
  readonly width: number;
}

export interface PageArgs extends RowSetSpec {
  /** Field key to sort by (stored or derived); time when absent. Ties keep time order. */
  readonly sort?: { readonly field: string; readonly descending?: boolean } | undefined;
  readonly offset: number;
  /** Rows to return, 0 … MAX_PAGE_ROWS. */
  readonly limit: number;
  /** Field keys whose display text to return. */
  readonly columns: readonly string[];
}

export interface PositionArgs extends RowSetSpec {
  readonly row: number;
  readonly sort?: PageArgs['sort'];
}

export interface TraceInfo extends EventCounts {
  /** Rows in the store (all rows, not only the counted ones). */
  readonly rowCount: number;
  /** Absolute ns that relative times count from; null while the store is empty. */
  readonly baseNs: bigint | null;
  readonly meta: TraceMeta;
  /** Rows per timeline lane (whole store). */
  readonly laneTotals: Float64Array;
}

export interface GroupLodArgs extends LodArgs {
  readonly groupBy: GroupBy;
}

export interface PickArgs extends RowSetSpec {
  /** Relative ns clicked, and how far (ns) from it a row may be. */
  readonly t: number;
  readonly slop: number;
  /** The class lane clicked (0…15), or with `groupBy` the group key of the lane clicked. */
  readonly lane?: number | undefined;
  readonly groupBy?: GroupBy | undefined;
  readonly group?: string | undefined;
  /** With `groupBy`: the group keys that have their own lane (the rest are in "other"). */
  readonly shownGroups?: readonly string[] | undefined;
}

export type FilterCheck = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly column: number };

export interface EngineOptions {
  /** The store to serve (a new empty one when absent). */
  readonly store?: EventStore;
  /** Makes the importer that `importChunk` feeds (it recognises the format from the bytes). */
  readonly createImporter?: (store: EventStore, name: string) => Importer;
}

export const MAX_LOD_WIDTH = 16384;
export const MAX_PAGE_ROWS = 10000;

/**
 * The engine facade: one EventStore with its time, lane and LOD indexes, and the queries the UI,
 * the CLI and the tests ask for. Runs on one thread (the engine worker, or Node); not re-entrant.
 */
export class Engine {
  readonly store: EventStore;
  readonly time: TimeIndex;
  readonly lanes: LaneIndex;
  private readonly summary: LodSummary;
  private readonly rowSets: RowSets;
  private readonly orders: RowOrders;
  private readonly groups: LaneGroups;
  private readonly createImporter: EngineOptions['createImporter'];
  private importer: Importer | undefined;
  private flowTable: FlowTable | undefined;
  /** Counts of all rows until the store grows: opening a trace asks for them twice (info, then the timeline). */
  private allCounts: { rowCount: number; counts: EventCounts } | undefined;

  constructor(options: EngineOptions = {}) {
    this.store = options.store ?? new EventStore();
    this.time = new TimeIndex(this.store);
    this.lanes = new LaneIndex(this.store);
    this.summary = new LodSummary(this.store);
    this.rowSets = new RowSets(this.store, this.time);
    this.orders = new RowOrders(this.store, this.time);
    this.groups = new LaneGroups(this.store, this.time);
    this.createImporter = options.createImporter;
  }

  /** Feeds the next chunk of an input file to the importer (made on the first chunk). Rows become queryable batch by batch. */
  importChunk(arg: { chunk: Uint8Array; name?: string }): { rowCount: number } {
    if (!this.importer) {
      if (!this.createImporter) throw new Error('this engine was made without an importer');
      this.importer = this.createImporter(this.store, arg.name ?? 'input');
    }
    this.importer.push(arg.chunk);
    return { rowCount: this.store.rowCount };
  }

  /** Ends the input: flushes the last batch. `truncated` says where a cut-short input stopped. */
  importEnd(_arg: Record<string, never> = {}): { rowCount: number; truncated: TraceMeta['truncated'] | null } {
    this.importer?.end();
    this.importer = undefined;
    this.rowSets.clear();
    this.orders.clear();
    this.allCounts = undefined;
    return { rowCount: this.store.rowCount, truncated: this.store.meta.truncated ?? null };
  }

  /** Counts (of the rows of `filter`/`range`), time span, trace metadata and lane totals. */
  info(arg: RowSetSpec = {}): TraceInfo {
    return {
      ...this.counts(arg),
      rowCount: this.store.rowCount,
      baseNs: this.store.baseNs ?? null,
      meta: this.store.meta,
      laneTotals: this.lanes.laneTotals.slice(),
    };
  }

  /** Rows by event, class, priority and process, with first and last relative ts (NaN when none). */
  counts(arg: RowSetSpec = {}): EventCounts {
    const mask = this.rowSets.mask(arg);
    if (mask !== undefined) return countEvents(this.store, mask);
    const rowCount = this.store.rowCount;
    if (this.allCounts?.rowCount !== rowCount) this.allCounts = { rowCount, counts: countEvents(this.store) };
    return this.allCounts.counts;
  }

  /** Per lane × pixel column: event count and dominant event index (−1 = none), for [t0, t1). */
  lod(arg: LodArgs): LodBuckets {
    checkFinite('t0', arg.t0);
    checkFinite('t1', arg.t1);
    checkInt('width', arg.width, 1, MAX_LOD_WIDTH);
    return lodBuckets({ store: this.store, time: this.time, summary: this.summary }, arg.t0, arg.t1, arg.width, this.rowSets.mask(arg));
  }

  /**
   * Like `lod`, with one lane per process or per connection instead of the 16 class lanes. The
   * first call per grouping assigns every row to its group; on a big store `progress` hears how far.
   */
  groupLod(arg: GroupLodArgs, progress?: GroupProgress): GroupLod {
    checkFinite('t0', arg.t0);
    checkFinite('t1', arg.t1);
    checkInt('width', arg.width, 1, MAX_LOD_WIDTH);
    checkGroupBy(arg.groupBy);
    return this.groups.lod(arg.groupBy, arg.t0, arg.t1, arg.width, this.rowSets.mask(arg), progress);
  }

  /** The row of the row set nearest to `t` (within `slop`) in the lane clicked, with its place; null when none. */
  pick(arg: PickArgs): RowPlace | null {
    checkFinite('t', arg.t);
    checkFinite('slop', arg.slop);
    const mask = this.rowSets.mask(arg);
    if (arg.groupBy !== undefined) {
      checkGroupBy(arg.groupBy);
      const by = arg.groupBy;
      const key = String(arg.group);
      const shown = new Set(arg.shownGroups ?? []);
      return pickRow(this, arg.t, Math.max(0, arg.slop), (row) => this.groups.rowInGroup(by, row, key, shown), mask);
    }
    checkInt('lane', arg.lane, 0, 15);
    return pickRow(this, arg.t, Math.max(0, arg.slop), (_row, lane) => lane === arg.lane, mask);
  }

  /** Where row `row` is drawn on the timeline (its ts and class lane; with `groupBy`, its group key). */
  rowPlace(arg: { row: number; groupBy?: GroupBy | undefined }): RowPlace & { group?: string } {
    const place = rowPlace(this, arg.row);
    if (arg.groupBy === undefined) return place;
    checkGroupBy(arg.groupBy);
    return { ...place, group: this.groups.keyOfRow(arg.groupBy, arg.row) };
  }

  /** Times of the occurrences of `event` (e.g. capture.lost) in [t0, t1), at most `limit`. */
  eventMarks(arg: { event: string; t0: number; t1: number; limit?: number }): EventMarks {
    checkFinite('t0', arg.t0);
    checkFinite('t1', arg.t1);
    return eventMarks(this, arg.event, arg.t0, arg.t1, Math.max(0, Math.min(arg.limit ?? 10000, 100000)));
  }

  /** Rows [offset, offset + limit) of the row set sorted by `sort` (time when absent), with display text. */
  page(arg: PageArgs): RowPage {
    checkInt('offset', arg.offset, 0, Number.MAX_SAFE_INTEGER);
    checkInt('limit', arg.limit, 0, MAX_PAGE_ROWS);
    for (const c of arg.columns) checkField(c);
    const rows = this.sortedRows(arg);
    return rowPage(this.store, rows, arg.offset, arg.limit, arg.columns);
  }

  /** Where global row `row` sits in the sorted row set (to scroll the table to it); −1 when it is not in the set. */
  position(arg: PositionArgs): { index: number; total: number } {
    const rows = this.sortedRows(arg);
    return { index: rows.indexOf(arg.row), total: rows.length };
  }

  /** All fields of one row and its catalog entry. */
  details(arg: { row: number }): RowDetails {
    return rowDetails(this.store, arg.row);
  }

  /** Time positions [start, end) of the rows with t0 ≤ ts < t1, and the relative ts span of the whole trace. */
  timeRange(arg: { t0: number; t1: number }): { start: number; end: number; firstTs: number; lastTs: number } {
    checkFinite('t0', arg.t0);
    checkFinite('t1', arg.t1);
    const [start, end] = this.time.range(arg.t0, arg.t1);
    return { start, end, firstTs: this.time.firstTs, lastTs: this.time.lastTs };
  }

  /** Checks a filter expression without running it (for typing feedback). */
  checkFilter(arg: { filter: string }): FilterCheck {
    try {
      compileFilter(arg.filter);
      return { ok: true };
    } catch (e) {
      if (e instanceof InputError) return { ok: false, message: e.message, column: e.offset ?? 0 };
      throw e;
    }
  }

  /** TCP flows (docs/flows.md): those with a row `filter` keeps, sorted, a page of `limit` from `offset`. */
  flows(arg: FlowsArgs = {}): FlowList {
    if (arg.offset !== undefined) checkInt('offset', arg.offset, 0, Number.MAX_SAFE_INTEGER);
    if (arg.limit !== undefined) checkInt('limit', arg.limit, 0, MAX_PAGE_ROWS);
    return this.flowsTable().list(arg);
  }

  /** The ladder diagram items of flow `id` (at most `limit`, 5000 by default). */
  flowLadder(arg: { id: number; limit?: number }): FlowLadder {
    checkInt('id', arg.id, 0, this.flowsTable().count - 1);
    if (arg.limit !== undefined) checkInt('limit', arg.limit, 1, MAX_PAGE_ROWS);
    return flowLadder(this.flowsTable(), arg.id, arg.limit ?? DEFAULT_LADDER_LIMIT);
  }

  /** Chart series of flow `id`: throughput in `buckets` buckets (200 by default), seq, windows, RTT/cwnd, retransmissions. */
  flowSeries(arg: { id: number; buckets?: number }): FlowSeries {
    checkInt('id', arg.id, 0, this.flowsTable().count - 1);
    if (arg.buckets !== undefined) checkInt('buckets', arg.buckets, 1, MAX_BUCKETS);
    return flowSeries(this.flowsTable(), arg.id, arg.buckets ?? DEFAULT_BUCKETS);
  }

  /** The flow global row `row` belongs to (−1: none), to select a flow from the table or timeline. */
  flowOfRow(arg: { row: number }): { id: number } {
    checkInt('row', arg.row, 0, Number.MAX_SAFE_INTEGER);
    return { id: this.flowsTable().flowOf(arg.row) };
  }

  /** The flow table of the store as it is now (rebuilt after the store grew). */
  flowsTable(): FlowTable {
    if (!this.flowTable || this.flowTable.rowCount !== this.store.rowCount) this.flowTable = buildFlows(this.store, this.flowTable);
    return this.flowTable;
  }

  /** Stops listening to the store (the indexes stop following appends). */
  dispose(): void {
    this.time.dispose();
    this.lanes.dispose();
    this.summary.dispose();
  }

  private sortedRows(arg: RowSetSpec & { sort?: PageArgs['sort'] }): Uint32Array {
    if (arg.sort) checkField(arg.sort.field);
    return this.orders.sorted(arg.sort?.field, arg.sort?.descending ?? false, this.rowSets.mask(arg));
  }
}

function checkFinite(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`Expected "${name}" to be a finite number`);
}

function checkInt(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new RangeError(`Expected "${name}" to be an integer in ${min}…${max}`);
}

function checkGroupBy(v: unknown): void {
  if (!GROUP_BYS.includes(v as GroupBy)) throw new RangeError(`Expected "groupBy" to be one of ${GROUP_BYS.join(', ')}`);
}

function checkField(key: string): void {
  if (!FIELD_BY_KEY.has(key)) throw new RangeError(`Unknown field "${key}"`);
}
