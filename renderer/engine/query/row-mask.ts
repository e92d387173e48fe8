/**
 * A set of global rows: one byte per row of the store (1 = in the set), as a filter produces it
 * column by column. A byte per row is 8× a bitmap but needs no bit arithmetic in the hot loops.
 */
export interface RowMask {
  readonly bits: Uint8Array;
  /** Number of rows set. */
  readonly count: number;
}

export function maskHas(mask: RowMask | undefined, row: number): boolean {
  return mask === undefined || mask.bits[row] === 1;
}
