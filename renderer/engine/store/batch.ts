import type { Storage } from '../model/fields.js';

export type ColumnValues = Float64Array | Uint8Array | Uint16Array | Uint32Array;

/** One stored column of a batch: values, and a validity bitmap (bit i set = row i has a value). */
export interface Column {
  readonly values: ColumnValues;
  /** null when every row of the batch has a value. */
  readonly valid: Uint8Array | null;
}

/**
 * A sealed, immutable block of rows in columns. A column absent from `columns` has no value in
 * any row of the batch. `ts_ns` and `event` are always present. Times are ns relative to `baseNs`.
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
