import type { Storage } from '../model/fields.js';

export type ColumnValues = Float64Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * One stored column of a batch, sealed in its narrowest form (see seal.ts). Every form has the
 * same validity bitmap (bit i set = row i has a value; null when every row has one), so
 * `hasValue` and mask code never look at the form. Integer values sit in the smallest typed
 * array that holds the batch's largest one, whatever the field's storage says.
 */
export type Column = DenseColumn | ConstColumn | SparseColumn;

/** One value slot per row; rows without a value hold 0. */
export interface DenseColumn {
  readonly form: 'dense';
  readonly values: ColumnValues;
  readonly valid: Uint8Array | null;
}

/** Every row with a value has `value`. */
export interface ConstColumn {
  readonly form: 'const';
  readonly value: number;
  readonly valid: Uint8Array | null;
}

/**
 * Few rows have a value: `packed` holds only theirs, in row order. `rank[k]` is the number of
 * rows with a value before row 64·k, so a row's slot is found in O(1) (see `slotOf`).
 */
export interface SparseColumn {
  readonly form: 'sparse';
  readonly packed: ColumnValues;
  readonly valid: Uint8Array;
  readonly rank: Uint16Array | Uint32Array;
}

/**
 * A sealed, immutable block of rows in columns. A column absent from `columns` has no value in
 * any row of the batch. `ts_ns` (Float64Array) and `event` (Uint8Array) are always present and
 * dense: read them with `batchTimes` / `batchEvents`. Times are ns relative to `baseNs`.
 */
export interface EventBatch {
  readonly length: number;
  readonly baseNs: bigint;
  readonly columns: Readonly<Partial<Record<string, Column>>>;
}

export function hasValue(col: Column | undefined, row: number): boolean {
  if (!col) return false;
  return col.valid === null || (col.valid[row >>> 3]! & (1 << (row & 7))) !== 0;
}

/** Set bits of each byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, v) => {
  let n = 0;
  for (let x = v; x !== 0; x &= x - 1) n++;
  return n;
});

/** Rows among the first `length` that have a value. */
export function countValid(valid: Uint8Array, length: number): number {
  let n = 0;
  const whole = length >>> 3;
  for (let b = 0; b < whole; b++) n += POPCOUNT[valid[b]!]!;
  if (length & 7) n += POPCOUNT[valid[whole]! & ((1 << (length & 7)) - 1)]!;
  return n;
}

/** Slot in `packed` of a row that has a value. */
export function slotOf(col: SparseColumn, row: number): number {
  const valid = col.valid;
  const byte = row >>> 3;
  let slot = col.rank[row >>> 6]!;
  for (let b = byte & ~7; b < byte; b++) slot += POPCOUNT[valid[b]!]!;
  return slot + POPCOUNT[valid[byte]! & ((1 << (row & 7)) - 1)]!;
}

/** The value of a row that has one (check `hasValue` first: other rows read as garbage). */
export function columnValue(col: Column, row: number): number {
  switch (col.form) {
    case 'dense':
      return col.values[row]!;
    case 'const':
      return col.value;
    case 'sparse':
      return col.packed[slotOf(col, row)]!;
  }
}

/** Typed array constructor of each storage kind (`str`/`addr` ids are 32-bit). */
export function allocValues(storage: Storage, n: number): ColumnValues {
  switch (storage) {
    case 'f64':
      return new Float64Array(n);
    case 'u8':
      return new Uint8Array(n);
    case 'u16':
      return new Uint16Array(n);
    case 'u32':
    case 'str':
    case 'addr':
      return new Uint32Array(n);
  }
}

/**
 * One value per row (0 where a row has none) for a batch of `length` rows. Dense columns are
 * returned as they are (do not write to the result); other forms are expanded into a new array
 * of the narrow type.
 */
export function denseValues(col: Column, length: number): ColumnValues {
  switch (col.form) {
    case 'dense':
      return col.values;
    case 'const': {
      const v = col.value;
      const out = v >>> 0 === v ? (v < 256 ? new Uint8Array(length) : v < 65536 ? new Uint16Array(length) : new Uint32Array(length)) : new Float64Array(length);
      out.fill(v);
      if (col.valid) clearMissing(col.valid, out);
      return out;
    }
    case 'sparse': {
      const out = new (col.packed.constructor as new (n: number) => ColumnValues)(length);
      scatterPacked(col.valid, col.packed, out);
      return out;
    }
  }
}

/** Dense values in the typed array the field's storage names (what file writers expect). */
export function storageValues(col: Column, storage: Storage, length: number): ColumnValues {
  const dense = denseValues(col, length);
  const out = allocValues(storage, length);
  if (dense.constructor === out.constructor) return dense;
  out.set(dense);
  return out;
}

/** Writes packed[k] to the row of the k-th set bit of `valid`. */
export function scatterPacked(valid: Uint8Array, packed: ArrayLike<number>, out: { [i: number]: number }): void {
  let slot = 0;
  for (let b = 0; b < valid.length; b++) {
    for (let m = valid[b]!; m !== 0; m &= m - 1) out[(b << 3) | (31 - Math.clz32(m & -m))] = packed[slot++]!;
  }
}

function clearMissing(valid: Uint8Array, out: ColumnValues): void {
  for (let r = 0; r < out.length; r++) if ((valid[r >>> 3]! & (1 << (r & 7))) === 0) out[r] = 0;
}

function denseOf<T extends ColumnValues>(batch: EventBatch, key: string, Type: new (n: number) => T): T {
  const col = batch.columns[key];
  if (col?.form !== 'dense' || !(col.values instanceof Type)) throw new Error(`batch without a dense ${key} column`);
  return col.values;
}

/** The batch's `ts_ns` values (ns relative to `baseNs`). */
export function batchTimes(batch: EventBatch): Float64Array {
  return denseOf(batch, 'ts_ns', Float64Array);
}

/** The batch's `event` values (indexes into EVENTS). */
export function batchEvents(batch: EventBatch): Uint8Array {
  return denseOf(batch, 'event', Uint8Array);
}

/** Bytes a column holds: values (or the constant), validity bitmap and rank directory. */
export function columnByteLength(col: Column): number {
  const valid = col.valid?.byteLength ?? 0;
  switch (col.form) {
    case 'dense':
      return col.values.byteLength + valid;
    case 'const':
      return 8 + valid;
    case 'sparse':
      return col.packed.byteLength + valid + col.rank.byteLength;
  }
}
