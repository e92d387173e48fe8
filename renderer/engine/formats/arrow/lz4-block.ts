/**
 * LZ4 block compressor (the block format of the LZ4 spec: sequences of token, literals, 16-bit
 * offset, match length; the last 5 bytes are literals and no match starts in the last 12). Written
 * for the live spill's columns, which are long runs of zeros and repeats:
 *
 * - 4-byte loads and compares through a DataView (V8 turns them into single machine loads), so
 *   match extension walks runs a word at a time instead of a byte at a time;
 * - the hash table is never cleared: each call stamps its positions with a fresh base, and an
 *   entry below the base belongs to an earlier call (clearing 256 KiB per Arrow buffer cost more
 *   than compressing most of them);
 * - the search step grows while no match is found (as the reference implementation does), so
 *   incompressible data is skimmed, not hashed at every byte;
 * - the compressor gives up as soon as its output would not be smaller than its input.
 */

const MIN_MATCH = 4;
/** No match may start within the last 12 bytes of a block (spec: MFLIMIT). */
const MF_LIMIT = 12;
/** The last 5 bytes of a block are always literals (spec: LASTLITERALS). */
const LAST_LITERALS = 5;
const MAX_OFFSET = 65535;
const HASH_LOG = 14;
const SKIP_TRIGGER = 6;

const table = new Int32Array(1 << HASH_LOG);
/** Added to every position stored in `table` by the current call; entries below it are stale. */
let base = 1;

/** Bytes a block of `n` input bytes may need in the worst case (incompressible input). */
export function lz4BlockBound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/**
 * Compresses `src[start, end)` into `dst` from `at`; returns the end of the output, or -1 when the
 * output would not be smaller than the input (store it uncompressed instead). `dst` must have
 * `lz4BlockBound(end - start)` bytes from `at`.
 */
export function lz4CompressBlock(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): number {
  const length = end - start;
  if (base + length >= 0x7fff0000) {
    table.fill(0);
    base = 1;
  }
  const stamp = base - start; // table entry = position + stamp, position = entry - stamp
  base += length + 1;
  const sv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const giveUp = at + length; // output reaching this is no gain
  let d = at;
  let anchor = start;
  if (length >= MF_LIMIT + 1) {
    const matchLimit = end - MF_LIMIT;
    const extendLimit = end - LAST_LITERALS;
    let i = start;
    let searches = 1 << SKIP_TRIGGER;
    while (i < matchLimit) {
      const seq = sv.getInt32(i, true);
      const h = Math.imul(seq, -1640531535) >>> (32 - HASH_LOG);
      const ref = table[h]! - stamp;
      table[h] = i + stamp;
      if (ref < start || i - ref > MAX_OFFSET || sv.getInt32(ref, true) !== seq) {
        i += searches++ >> SKIP_TRIGGER;
        continue;
      }
      searches = 1 << SKIP_TRIGGER;
      let s = i;
      let r = ref;
      // The match may begin earlier than where the hash found it.
      while (s > anchor && r > start && src[s - 1] === src[r - 1]) {
        s--;
        r--;
      }
      let e = i + MIN_MATCH;
      let q = ref + MIN_MATCH;
      while (e + 4 <= extendLimit && sv.getInt32(e, true) === sv.getInt32(q, true)) {
        e += 4;
        q += 4;
      }
      while (e < extendLimit && src[e] === src[q]) {
        e++;
        q++;
      }
      const literals = s - anchor;
      if (d + literals + (literals >>> 8) + 8 >= giveUp) return -1;
      d = writeSequence(src, anchor, literals, dst, d, s - r, e - s - MIN_MATCH);
      anchor = e;
      i = e;
    }
  }
  const literals = end - anchor;
  if (d + literals + (literals >>> 8) + 1 >= giveUp) return -1;
  return writeLiterals(src, anchor, literals, dst, d, 0);
}

/** Token and literal run (the token's match half is `matchNibble`); returns the end of output. */
function writeLiterals(src: Uint8Array, from: number, count: number, dst: Uint8Array, d: number, matchNibble: number): number {
  if (count >= 15) {
    dst[d++] = 0xf0 | matchNibble;
    let n = count - 15;
    for (; n >= 255; n -= 255) dst[d++] = 255;
    dst[d++] = n;
  } else {
    dst[d++] = (count << 4) | matchNibble;
  }
  if (count > 32) dst.set(src.subarray(from, from + count), d);
  else for (let k = 0; k < count; k++) dst[d + k] = src[from + k]!;
  return d + count;
}

/** One sequence: literals, then a match of `extra` + 4 bytes at `offset` back. */
function writeSequence(src: Uint8Array, from: number, literals: number, dst: Uint8Array, d: number, offset: number, extra: number): number {
  d = writeLiterals(src, from, literals, dst, d, extra >= 15 ? 15 : extra);
  dst[d++] = offset & 255;
  dst[d++] = offset >>> 8;
  if (extra >= 15) {
    let n = extra - 15;
    for (; n >= 255; n -= 255) dst[d++] = 255;
    dst[d++] = n;
  }
  return d;
}

/**
 * The block of `length` zero bytes, written without reading anything: one literal zero, one
 * match at offset 1 up to the last 5 bytes, then those 5 as literals. Returns the end of output,
 * or -1 when the block is too short to hold a match.
 */
export function lz4ZeroBlock(length: number, dst: Uint8Array, at: number): number {
  if (length < MF_LIMIT + 1) return -1;
  const zero = new Uint8Array(1);
  const d = writeSequence(zero, 0, 1, dst, at, 1, length - 1 - LAST_LITERALS - MIN_MATCH);
  dst.fill(0, d + 1, d + 1 + LAST_LITERALS);
  dst[d] = LAST_LITERALS << 4;
  return d + 1 + LAST_LITERALS;
}
