import type { TimeIndex } from '../index/time-index.js';
import { FIELD_BY_KEY } from '../model/fields.js';
import type { EventStore } from '../store/event-store.js';
import { RowReader, type FieldValue } from '../values/field-values.js';
import { radixSortByKey } from './radix.js';
import type { RowMask } from './row-mask.js';
import { rowSortKeys } from './sort-keys.js';

/** One page of a sorted, optionally masked row set, with the display text of the requested columns. */
export interface RowPage {
  /** Rows in the whole (masked) set. */
  readonly total: number;
  readonly offset: number;
  /** Global row numbers of the page, in sort order. */
  readonly rows: Uint32Array;
  /** Display text per requested field key, one entry per page row ('' where the row has no value). */
  readonly columns: Record<string, string[]>;
}

interface CachedOrder {
  readonly mask: RowMask | undefined;
  readonly key: string;
  readonly rowCount: number;
  readonly rows: Uint32Array;
}

/** How many sorted permutations to keep: the current view, and a few the user may flip back to. */
const CACHE_SIZE = 6;

/**
 * Sorted row orders per (field, direction, mask), kept so that scrolling a table costs only the
 * page it shows. Ties keep time order (the sort is stable over rows taken in time order). An
 * order is rebuilt when rows were appended since it was made.
 */
export class RowOrders {
  private readonly cache: CachedOrder[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly time: TimeIndex,
  ) {}

  /** Global rows of `mask` (all rows when undefined) sorted by `field` (time when undefined). */
  sorted(field: string | undefined, descending: boolean, mask?: RowMask): Uint32Array {
    const key = `${field ?? 'ts_ns'}|${descending ? 'desc' : 'asc'}`;
    const rowCount = this.store.rowCount;
    const at = this.cache.findIndex((c) => c.mask === mask && c.key === key && c.rowCount === rowCount);
    if (at >= 0) {
      const hit = this.cache.splice(at, 1)[0]!;
      this.cache.unshift(hit);
      return hit.rows;
    }
    const rows = this.build(field ?? 'ts_ns', descending, mask);
    this.cache.unshift({ mask, key, rowCount, rows });
    if (this.cache.length > CACHE_SIZE) this.cache.pop();
    return rows;
  }

  /** Forgets every cached order (e.g. when the store's dictionaries or DNS names changed). */
  clear(): void {
    this.cache.length = 0;
  }

  private build(field: string, descending: boolean, mask: RowMask | undefined): Uint32Array {
    const rows = this.inTimeOrder(mask);
    const keys = rowSortKeys(this.store, field, descending);
    if (keys === null) return descending ? rows.reverse() : rows;
    // Rows with a value are sorted; rows without one follow, in time order.
    const missing = keys.missing;
    let present = 0;
    for (let i = 0; i < rows.length; i++) present += 1 - missing[rows[i]!]!;
    const sorted = new Uint32Array(rows.length);
    const lo = new Uint32Array(present);
    const hi = keys.hi ? new Uint32Array(present) : undefined;
    let p = 0;
    let m = present;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (missing[r] === 1) {
        sorted[m++] = r;
        continue;
      }
      sorted[p] = r;
      lo[p] = keys.lo[r]!;
      if (hi) hi[p] = keys.hi![r]!;
      p++;
    }
    radixSortByKey(sorted.subarray(0, present), lo, hi);
    return sorted;
  }

  private inTimeOrder(mask: RowMask | undefined): Uint32Array {
    const n = this.store.rowCount;
    const order = this.time.order;
    if (mask === undefined) {
      if (order) return order.slice();
      const all = new Uint32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      return all;
    }
    const bits = mask.bits;
    const out = new Uint32Array(Math.min(mask.count, n));
    let k = 0;
    for (let p = 0; p < n && k < out.length; p++) {
      const r = order ? order[p]! : p;
      if (bits[r] === 1) out[k++] = r;
    }
    return k === out.length ? out : out.slice(0, k);
  }
}

/** Rows [offset, offset + limit) of `sortedRows`, with the display text of `columns` for each. */
export function rowPage(store: EventStore, sortedRows: Uint32Array, offset: number, limit: number, columns: readonly string[]): RowPage {
  const start = Math.max(0, Math.min(Math.floor(offset), sortedRows.length));
  const end = Math.max(start, Math.min(start + Math.floor(limit), sortedRows.length));
  const rows = sortedRows.slice(start, end);
  const reader = new RowReader(store);
  const out: Record<string, string[]> = {};
  for (const key of columns) {
    const field = FIELD_BY_KEY.get(key);
    if (!field) throw new Error(`unknown field ${key}`);
    const texts: string[] = [];
    for (const row of rows) {
      const b = store.batchOf(row);
      texts.push(displayText(field.key, reader.value(b, row - store.batchStart[b]!, field)));
    }
    out[key] = texts;
  }
  return { total: sortedRows.length, offset: start, rows, columns: out };
}

/** A field value as one line of table text. */
export function displayText(key: string, v: FieldValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.join(key === 'tcp_flags' ? ' ' : ', ');
  return Object.entries(v)
    .map(([name, value]) => (value === true ? name : `${name}=${String(value)}`))
    .join(' ');
}
