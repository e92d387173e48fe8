/**
 * The flow list's rows, fetched from the engine a page at a time for one query (filter and sort):
 * the list asks for the indexes it shows; each page is asked for once; answers for a query that
 * was replaced are dropped.
 */
import type { FlowSortKey, FlowSummary } from '../../engine/flows/types.js';
import type { EngineClient } from '../engine-client.js';

export const FLOW_PAGE = 200;

export interface FlowQuery {
  readonly filter: string;
  readonly sort: { readonly key: FlowSortKey; readonly descending: boolean } | null;
}

export class FlowPages {
  private readonly pages = new Map<number, readonly FlowSummary[]>();
  private readonly asked = new Set<number>();
  private live = true;

  constructor(
    private readonly engine: EngineClient,
    private readonly query: FlowQuery,
    /** A page arrived: the total (flows matching the filter) and nothing else to do but re-render. */
    private readonly arrived: (total: number) => void,
    private readonly failed: (message: string) => void,
  ) {}

  /** The flow at sorted index `index`, if its page is here. */
  at(index: number): FlowSummary | undefined {
    return this.pages.get(Math.floor(index / FLOW_PAGE))?.[index % FLOW_PAGE];
  }

  /** Fetches the pages of indexes first…last not already here or asked for. */
  want(first: number, last: number): void {
    const from = Math.floor(Math.max(0, first) / FLOW_PAGE);
    for (let p = from; p <= Math.floor(Math.max(first, last) / FLOW_PAGE); p++) {
      if (this.asked.has(p)) continue;
      this.asked.add(p);
      const { filter, sort } = this.query;
      this.engine.call('flows', { filter, sort: sort ?? undefined, offset: p * FLOW_PAGE, limit: FLOW_PAGE }).then(
        (list) => {
          if (!this.live) return;
          this.pages.set(p, list.flows);
          this.arrived(list.total);
        },
        (e: Error) => {
          this.asked.delete(p);
          if (this.live) this.failed(e.message);
        },
      );
    }
  }

  close(): void {
    this.live = false;
  }
}
