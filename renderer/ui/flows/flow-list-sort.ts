/** The flow list's sort order and what a header click makes of it. */
import type { FlowSortKey } from '../../engine/flows/types.js';
import type { FlowQuery } from './flow-pages.js';

export type FlowSort = FlowQuery['sort'];

/** ascending → descending → unsorted, like the event table's headers. */
export function nextSort(sort: FlowSort, key: FlowSortKey): FlowSort {
  if (sort?.key !== key) return { key, descending: false };
  return sort.descending ? null : { key, descending: true };
}
