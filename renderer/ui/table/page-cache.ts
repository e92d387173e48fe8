/**
 * Pages of table rows fetched from the engine for one query (filter, range, sort): only the
 * pages the table shows are asked for, each once; a new query starts a new cache, and answers
 * for an old one are dropped.
 */
import type { RowPage } from '../../engine/query/page.js';
import type { SortOrder, TimeWindow } from '../../state/view-store.js';
import type { EngineClient } from '../engine-client.js';

export const PAGE_ROWS = 200;

export interface TableQuery {
  readonly filter: string;
  readonly range: TimeWindow | null;
  readonly sort: SortOrder | null;
  /** Field keys whose display text to fetch. */
  readonly columns: readonly string[];
}

export class PageCache {
  private readonly pages = new Map<number, RowPage>();
  private readonly pending = new Set<number>();
  private disposed = false;

  constructor(
    private readonly engine: EngineClient,
    readonly query: TableQuery,
    /** Called when a page arrives (the table re-renders). */
    private readonly onPage: (page: RowPage) => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** The page holding row index `index` of the sorted set, if it has arrived. */
  pageOf(index: number): RowPage | undefined {
    return this.pages.get(Math.floor(index / PAGE_ROWS));
  }

  /** Asks for the pages covering indexes [first, last] that are neither here nor on their way. */
  ensure(first: number, last: number): void {
    for (let p = Math.floor(Math.max(0, first) / PAGE_ROWS); p <= Math.floor(last / PAGE_ROWS); p++) {
      if (this.pages.has(p) || this.pending.has(p)) continue;
      this.pending.add(p);
      const { filter, range, sort, columns } = this.query;
      this.engine
        .call('page', { filter, range: range ?? undefined, sort: sort ?? undefined, offset: p * PAGE_ROWS, limit: PAGE_ROWS, columns })
        .then(
          (page) => {
            if (this.disposed) return;
            this.pages.set(p, page);
            this.onPage(page);
          },
          (e: Error) => !this.disposed && this.onError(e.message),
        )
        .finally(() => this.pending.delete(p));
    }
  }

  dispose(): void {
    this.disposed = true;
  }
}
