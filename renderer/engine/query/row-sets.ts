import { compileFilter, evaluateFilter } from '../filter/filter.js';
import type { TimeIndex } from '../index/time-index.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from './row-mask.js';
import { timeRangeMask } from './time-range.js';

/** Which rows a query covers: those a view filter keeps, within a time range; all rows when both are absent. */
export interface RowSetSpec {
  /** View-filter expression (empty or blank = every row). */
  readonly filter?: string | undefined;
  /** Only rows with t0 ≤ ts < t1, ns relative to store.baseNs. */
  readonly range?: { readonly t0: number; readonly t1: number } | undefined;
}

interface Entry {
  readonly key: string;
  readonly rowCount: number;
  readonly mask: RowMask | undefined;
}

const CACHE_SIZE = 8;

/**
 * Turns row-set specs into RowMasks and keeps the recent ones, so that the same filter asked for
 * by the table, the timeline and the counts is evaluated once, and so that a mask keeps its
 * identity (sorted row orders are cached per mask). Masks made before an append are remade.
 */
export class RowSets {
  private readonly cache: Entry[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly time: TimeIndex,
  ) {}

  /** The mask of `spec`, or undefined when it selects every row. Throws InputError for a bad filter. */
  mask(spec: RowSetSpec): RowMask | undefined {
    const filter = spec.filter?.trim() ?? '';
    const range = spec.range;
    if (filter === '' && range === undefined) return undefined;
    const key = `${range ? `${range.t0}:${range.t1}` : ''}|${filter}`;
    const rowCount = this.store.rowCount;
    const at = this.cache.findIndex((e) => e.key === key && e.rowCount === rowCount);
    if (at >= 0) {
      const hit = this.cache.splice(at, 1)[0]!;
      this.cache.unshift(hit);
      return hit.mask;
    }
    let mask: RowMask | undefined;
    if (filter !== '') mask = range ? this.mask({ filter }) : evaluateFilter(this.store, compileFilter(filter));
    if (range) mask = timeRangeMask(this.store, this.time, range.t0, range.t1, mask);
    this.cache.unshift({ key, rowCount, mask });
    if (this.cache.length > CACHE_SIZE) this.cache.pop();
    return mask;
  }

  clear(): void {
    this.cache.length = 0;
  }
}
