/**
 * Bulk operations on byte-per-row masks (each byte 0 or 1), four rows per step through a Uint32
 * view when the buffers are 4-byte aligned (the evaluator's scratch buffers always are).
 */

const ONES = 0x01010101;

function words(a: Uint8Array): Uint32Array | undefined {
  return (a.byteOffset & 3) === 0 ? new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2) : undefined;
}

export function invert(out: Uint8Array): void {
  const w = words(out);
  let i = 0;
  if (w) {
    for (let k = 0; k < w.length; k++) w[k] = w[k]! ^ ONES;
    i = w.length << 2;
  }
  for (; i < out.length; i++) out[i] = out[i]! ^ 1;
}

export function andInto(out: Uint8Array, other: Uint8Array): void {
  const a = words(out);
  const b = words(other);
  let i = 0;
  if (a && b) {
    for (let k = 0; k < a.length; k++) a[k] = a[k]! & b[k]!;
    i = a.length << 2;
  }
  for (; i < out.length; i++) out[i] = out[i]! & other[i]!;
}

export function orInto(out: Uint8Array, other: Uint8Array): void {
  const a = words(out);
  const b = words(other);
  let i = 0;
  if (a && b) {
    for (let k = 0; k < a.length; k++) a[k] = a[k]! | b[k]!;
    i = a.length << 2;
  }
  for (; i < out.length; i++) out[i] = out[i]! | other[i]!;
}

/** Number of rows set. */
export function countSet(bits: Uint8Array): number {
  const w = words(bits);
  let count = 0;
  let i = 0;
  if (w) {
    // The four 0/1 bytes of a word summed in its top byte.
    for (let k = 0; k < w.length; k++) count += Math.imul(w[k]!, ONES) >>> 24;
    i = w.length << 2;
  }
  for (; i < bits.length; i++) count += bits[i]!;
  return count;
}

/**
 * For each validity byte (8 rows), the two words that keep its valid rows: built by writing bytes
 * and reading words, so it holds whatever the platform's byte order.
 */
const EXPAND = (() => {
  const bytes = new Uint8Array(256 * 8);
  for (let v = 0; v < 256; v++) for (let bit = 0; bit < 8; bit++) bytes[v * 8 + bit] = (v >> bit) & 1 ? 0xff : 0;
  return new Uint32Array(bytes.buffer);
})();

/** Clears the rows without a value (validity bit 0); a null bitmap means every row has one. */
export function applyValid(valid: Uint8Array | null, out: Uint8Array): void {
  if (!valid) return;
  const n = out.length;
  const w = words(out);
  const whole = n >>> 3;
  if (w) {
    for (let byte = 0; byte < whole; byte++) {
      const v = valid[byte]!;
      if (v === 0xff) continue;
      w[byte * 2] = w[byte * 2]! & EXPAND[v * 2]!;
      w[byte * 2 + 1] = w[byte * 2 + 1]! & EXPAND[v * 2 + 1]!;
    }
  }
  for (let i = w ? whole << 3 : 0; i < n; i++) if ((valid[i >>> 3]! & (1 << (i & 7))) === 0) out[i] = 0;
}
