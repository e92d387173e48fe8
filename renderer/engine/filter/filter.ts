import type { RowMask } from '../query/row-mask.js';
import type { EventStore } from '../store/event-store.js';
import type { FilterNode } from './ast.js';
import { evaluateTree } from './evaluate.js';
import { parseFilter } from './parser.js';

export { FILTER_OPERATORS } from './ast.js';
export { FILTER_FIELD_NAMES } from './filter-fields.js';

/** A parsed, checked view filter; evaluate it against any store with `evaluateFilter`. */
export interface CompiledFilter {
  /** The expression as the user wrote it. */
  readonly text: string;
  /** The tree of comparisons; undefined for an empty expression, which keeps every row. */
  readonly root: FilterNode | undefined;
}

/**
 * Parses and checks a filter expression once. A mistake throws InputError whose message is one
 * line and whose `offset` is the 1-based column of the mistake.
 */
export function compileFilter(text: string): CompiledFilter {
  return { text, root: parseFilter(text) };
}

/** The rows of `store` the filter keeps, computed column-wise batch by batch. */
export function evaluateFilter(store: EventStore, f: CompiledFilter): RowMask {
  return evaluateTree(store, f.root);
}
