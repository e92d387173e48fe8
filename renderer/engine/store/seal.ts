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
 * stays as it is); `count` is the number of rows with a value. Returns undefined when no row has
 * one
 * (except `ts_ns` and `event`, kept even then). Forms:
 * - const: every row with a value has the same value;
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

  const stats = full ? scanAll(values, length) : scanPresent(values, valid, length);
  if (stats.constant) return { form: 'const', value: values[stats.first]!, valid: bitmap };
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

interface Stats {
  /** Row of the first value. */
  first: number;
  max: number;
  constant: boolean;
  /** Every value is an integer in [0, 2^32). */
  u32: boolean;
}

function scanAll(values: ColumnValues, length: number): Stats {
  const first = values[0]!;
  let max = first;
  let constant = true;
  let u32 = true;
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    if (v !== first) constant = false;
    if (v > max) max = v;
    if (v >>> 0 !== v) u32 = false;
  }
  return { first: 0, max, constant, u32 };
}

function scanPresent(values: ColumnValues, valid: Uint8Array, length: number): Stats {
  const bytes = (length + 7) >>> 3;
  let firstRow = -1;
  let first = 0;
  let max = 0;
  let constant = true;
  let u32 = true;
  for (let b = 0; b < bytes; b++) {
    for (let m = valid[b]!; m !== 0; m &= m - 1) {
      const v = values[(b << 3) | (31 - Math.clz32(m & -m))]!;
      if (firstRow < 0) {
        firstRow = (b << 3) | (31 - Math.clz32(m & -m));
        first = v;
        max = v;
      }
      if (v !== first) constant = false;
      if (v > max) max = v;
      if (v >>> 0 !== v) u32 = false;
    }
  }
  return { first: firstRow, max, constant, u32 };
}

type NarrowType = Float64ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;

function narrowType(storage: Storage, stats: Stats): NarrowType {
  if (storage === 'f64' && !stats.u32) return Float64Array;
  return stats.max < 0x100 ? Uint8Array : stats.max < 0x10000 ? Uint16Array : Uint32Array;
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
