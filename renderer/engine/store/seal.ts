import type { Storage } from '../model/fields.js';
import type { Column, ColumnValues } from './batch.js';

/**
 * A column filled in at most this share of its batch's rows is stored sparse (only the rows with
 * a value); above it the dense form's direct indexing is worth its memory.
 */
export const SPARSE_MAX_FILL = 1 / 8;

/** Rows per entry of a sparse column's rank directory (8 validity bytes). */
export const RANK_ROWS = 64;

/** Columns every reader takes as whole typed arrays: never narrowed, made constant or sparse. */
const KEPT_DENSE = new Set(['ts_ns', 'event']);

/**
 * Seals one column of a batch of `length` rows in its narrowest form. `values` and `valid` are
 * the builder's buffers (at least `length` rows; they are copied, never kept, unless the column
 * stays as it is), where rows without a value hold 0 (see `clearMissing`); `count` is the number
 * of rows with a value. Returns undefined when no row has one (except `ts_ns` and `event`, kept
 * even then). Forms:
 * - const: every row with a value has the same value (integers in [0, 2^32) only);
 * - sparse: at most SPARSE_MAX_FILL of the rows have a value (packed values + rank directory);
 * - dense: the rest; integers in the smallest of Uint8/Uint16/Uint32 that holds the batch's
 *   largest value (f64 columns too, when every value is an integer in [0, 2^32)).
 * `ts_ns` and `event` always stay dense in their storage type.
 */
export function sealColumn(key: string, storage: Storage, values: ColumnValues, valid: Uint8Array, length: number, count: number): Column | undefined {
  const full = count === length;
  const bitmap = full ? null : valid.slice(0, (length + 7) >>> 3);
  if (KEPT_DENSE.has(key)) return { form: 'dense', values: values.length === length ? values : values.slice(0, length), valid: bitmap };
  if (count === 0) return undefined;

  const stats = scan(values, length);
  if (stats.u32 && isConstant(values, bitmap, length, count, stats.or)) {
    return { form: 'const', value: stats.or === 0 ? 0 : values[bitmap ? firstRow(bitmap) : 0]!, valid: bitmap };
  }
  const Narrow = narrowType(storage, stats);
  if (bitmap !== null && count <= length * SPARSE_MAX_FILL) {
    const packed = new Narrow(count);
    gatherPresent(values, bitmap, packed);
    return { form: 'sparse', packed, valid: bitmap, rank: rankDirectory(bitmap, length) };
  }
  if (values.length === length && values instanceof Narrow) return { form: 'dense', values, valid: bitmap };
  const dense = new Narrow(length);
  dense.set(values.subarray(0, length));
  return { form: 'dense', values: dense, valid: bitmap };
}

/** What sealing needs of a column's values (rows without a value included: they hold 0). */
interface Stats {
  /**
   * Bitwise OR of every value (as an unsigned 32-bit number): below 2^8 or 2^16 exactly when the
   * largest value is, which is all the choice of width needs.
   */
  or: number;
  /** Every value is an integer in [0, 2^32) (always true of integer arrays). */
  u32: boolean;
}

/**
 * One pass over the first `length` values. Written once per array type: a loop that sees
 * several typed-array types runs several times slower.
 */
function scan(values: ColumnValues, length: number): Stats {
  if (values instanceof Float64Array) return scanF64(values, length);
  if (values instanceof Uint8Array) return { or: orU8(values, length), u32: true };
  if (values instanceof Uint16Array) return { or: orU16(values, length), u32: true };
  return { or: orU32(values, length), u32: true };
}

function orU8(v: Uint8Array, n: number): number {
  let or = 0;
  for (let i = 0; i < n; i++) or |= v[i]!;
  return or;
}

function orU16(v: Uint16Array, n: number): number {
  let or = 0;
  for (let i = 0; i < n; i++) or |= v[i]!;
  return or;
}

function orU32(v: Uint32Array, n: number): number {
  let or = 0;
  for (let i = 0; i < n; i++) or |= v[i]!;
  return or >>> 0;
}

function scanF64(v: Float64Array, n: number): Stats {
  let or = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    // Fractions, negatives, NaN and values past 32 bits: the column stays Float64.
    if (x >>> 0 !== x) return { or: 0, u32: false };
    or |= x;
  }
  return { or: or >>> 0, u32: true };
}

/**
 * Whether every row with a value holds the same value. Rows without one hold 0, so with a
 * candidate other than 0 they are the only mismatches allowed; most columns that vary are
 * found out within their first rows.
 */
function isConstant(values: ColumnValues, bitmap: Uint8Array | null, length: number, count: number, or: number): boolean {
  if (or === 0) return true;
  const candidate = values[bitmap ? firstRow(bitmap) : 0]!;
  // Some row with a value is not 0 (`or`), so a 0 candidate already differs from it; and a
  // constant column's OR is the constant.
  if (candidate === 0 || candidate !== or) return false;
  const allowed = length - count;
  if (values instanceof Uint8Array) return misses8(values, length, candidate, allowed) <= allowed;
  if (values instanceof Uint16Array) return misses16(values, length, candidate, allowed) <= allowed;
  if (values instanceof Uint32Array) return misses32(values, length, candidate, allowed) <= allowed;
  return misses64(values, length, candidate, allowed) <= allowed;
}

/** Rows not holding `c`, counted until there are more than `allowed` (one loop per array type). */
function misses8(v: Uint8Array, n: number, c: number, allowed: number): number {
  let m = 0;
  for (let i = 0; i < n && m <= allowed; i++) if (v[i] !== c) m++;
  return m;
}
function misses16(v: Uint16Array, n: number, c: number, allowed: number): number {
  let m = 0;
  for (let i = 0; i < n && m <= allowed; i++) if (v[i] !== c) m++;
  return m;
}
function misses32(v: Uint32Array, n: number, c: number, allowed: number): number {
  let m = 0;
  for (let i = 0; i < n && m <= allowed; i++) if (v[i] !== c) m++;
  return m;
}
function misses64(v: Float64Array, n: number, c: number, allowed: number): number {
  let m = 0;
  for (let i = 0; i < n && m <= allowed; i++) if (v[i] !== c) m++;
  return m;
}

function firstRow(bitmap: Uint8Array): number {
  let b = 0;
  while (bitmap[b] === 0) b++;
  const m = bitmap[b]!;
  return (b << 3) | (31 - Math.clz32(m & -m));
}

/** Sets the values of rows without a value to 0, as `sealColumn` expects. */
export function clearMissing(values: ColumnValues, valid: Uint8Array, length: number): void {
  const bytes = (length + 7) >>> 3;
  for (let b = 0; b < bytes; b++) {
    const m = valid[b]!;
    if (m === 0xff) continue;
    if (m === 0) {
      // A run of rows without values: one fill.
      let e = b + 1;
      while (e < bytes && valid[e] === 0) e++;
      values.fill(0, b << 3, Math.min(length, e << 3));
      b = e - 1;
      continue;
    }
    // Only the rows without a value, lowest bit first (no branch per row); none past `length`.
    let missing = ~m & 0xff;
    if (b === bytes - 1 && length & 7) missing &= (1 << (length & 7)) - 1;
    for (; missing !== 0; missing &= missing - 1) values[(b << 3) | (31 - Math.clz32(missing & -missing))] = 0;
  }
}

type NarrowType = Float64ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;

function narrowType(storage: Storage, stats: Stats): NarrowType {
  if (storage === 'f64' && !stats.u32) return Float64Array;
  return stats.or < 0x100 ? Uint8Array : stats.or < 0x10000 ? Uint16Array : Uint32Array;
}

function gatherPresent(values: ColumnValues, valid: Uint8Array, packed: ColumnValues): void {
  let slot = 0;
  for (let b = 0; b < valid.length; b++) {
    for (let m = valid[b]!; m !== 0; m &= m - 1) packed[slot++] = values[(b << 3) | (31 - Math.clz32(m & -m))]!;
  }
}

/** Rows with a value before each RANK_ROWS-row block (16-bit while a batch fits 65536 rows). */
function rankDirectory(valid: Uint8Array, length: number): Uint16Array | Uint32Array {
  const blocks = Math.ceil(length / RANK_ROWS);
  const rank = length <= 0x10000 ? new Uint16Array(blocks) : new Uint32Array(blocks);
  let count = 0;
  for (let k = 0; k < blocks; k++) {
    rank[k] = count;
    const end = Math.min(valid.length, (k + 1) * 8);
    for (let b = k * 8; b < end; b++) for (let m = valid[b]!; m !== 0; m &= m - 1) count++;
  }
  return rank;
}
