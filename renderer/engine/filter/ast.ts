import type { Cidr } from '../net/address.js';
import type { FilterField } from './filter-fields.js';

/** Operators that compare text (the names of enums, addresses as text, event ids…). */
export type TextOp = '=' | '~=' | 'in' | 'contains' | 'icontains' | 'startswith' | 'istartswith' | 'endswith' | 'iendswith' | 'matches' | 'imatches';
export type NumOp = '=' | '<' | '<=' | '>' | '>=' | 'in';

/** Every operator of the language, for autocomplete (`not` may precede the word operators). */
export const FILTER_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', '~=', 'in', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'matches', 'imatches'] as const;
export const WORD_OPERATORS: ReadonlySet<string> = new Set(FILTER_OPERATORS.filter((o) => /^[a-z]/.test(o)));
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', ...WORD_OPERATORS]);

/** What a leaf checks on one value of its field; a row without a value never passes. */
export type Test =
  | { readonly t: 'num'; readonly op: NumOp; readonly nums: readonly number[] }
  /** Bits of a number: all of `mask` set (`contains 'SYN|ACK'`), or any (booleans such as tcp.flags.syn). */
  | { readonly t: 'bits'; readonly mask: number; readonly all: boolean }
  /** Absolute times in ns: evt.ts as exported, or Unix-epoch ns for evt.time. */
  | { readonly t: 'time'; readonly op: NumOp; readonly ns: readonly bigint[] }
  | { readonly t: 'text'; readonly op: TextOp; readonly strs: readonly string[] }
  /** Addresses and networks; a plain address is a full-length prefix. */
  | { readonly t: 'cidr'; readonly nets: readonly Cidr[] }
  /** The row has a value for the field (used to spell out `!=` on the net.ip/net.port aliases). */
  | { readonly t: 'has' };

/** A field that is not an alias: leaves always read one of these. */
export type LeafField = Exclude<FilterField, { kind: 'either' }>;

export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'not'; readonly operand: FilterNode }
  /**
   * `negate`: the row has a value and the test fails (`!=`, `not in`, `not contains`…). For the
   * multi-valued .names fields that is "has names and none passes".
   */
  | { readonly type: 'leaf'; readonly field: LeafField; readonly test: Test; readonly negate: boolean };
