/**
 * LZ4 block and frame decoding, written for the columns of our traces: most of their bytes are
 * long runs (zero-filled null columns, repeated values), which LZ4 stores as matches at offset 1
 * or a few bytes back. Those are expanded with `fill` and doubling `copyWithin` (memset and
 * memmove speed) instead of one byte per step; runs of zeros are not written at all, since the
 * output is a fresh, zero-filled array. The rest are millions of short sequences, copied a word at
 * a time (0.7× the time of a byte-at-a-time decoder on the 1M-event bench trace's frames). Every
 * length and offset is checked: damage throws.
 */

const MIN_MATCH = 4;
const FRAME_MAGIC = 0x184d2204;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const UNCOMPRESSED_BLOCK = 0x80000000;

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Where the bytes of the last length `extendLength` read end. */
let afterLength = 0;

/** A length of 15 or more: `base` plus the bytes from `s` up to one below 255; -1 when they run past `end`. */
function extendLength(src: Uint8Array, s: number, end: number, base: number): number {
  let n = base;
  let b: number;
  do {
    if (s >= end) return -1;
    b = src[s++]!;
    n += b;
  } while (b === 255);
  afterLength = s;
  return n;
}

/** Longest literal run or match copied a word at a time (above it `set`/`copyWithin` win). */
const WORD_COPY_MAX = 32;

/**
 * Decodes the LZ4 block `src[start, end)` into `dst` from `d`, where `dst[d, dstEnd)` still holds
 * zeros (fresh memory); matches may reach back before `d` (earlier blocks of a frame). Returns the
 * end of the output.
 *
 * Column data decodes to millions of short sequences (no literals, a 4–8 byte match a few rows
 * back): their cost is per sequence, not per byte. Short literals and short matches from at least
 * 4 bytes back are copied a 32-bit word at a time through DataViews (single machine loads and
 * stores in V8), the last word ending exactly at the sequence's end, so no byte beyond it is
 * written; longer ones with `set`/`copyWithin`.
 */
export function lz4DecodeBlock(src: Uint8Array, start: number, end: number, dst: Uint8Array, d: number, dstEnd: number): number {
  const sv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  let s = start;
  for (;;) {
    if (s >= end) throw new Error('LZ4 block ends inside a sequence');
    const token = src[s++]!;
    if (token < 15 && s + 2 < end) {
      // The commonest sequence: no literals, a match of 4–18 bytes (its offset and the next token are in the block).
      const offset = sv.getUint16(s, true);
      s += 2;
      const length = token + MIN_MATCH;
      if (offset >= 4 && offset <= d && d + length <= dstEnd) {
        copyWords(dv, d - offset, dv, d, length);
        d += length;
        continue;
      }
      s -= 2;
    }
    let literals = token >>> 4;
    if (literals !== 0) {
      if (literals === 15) {
        literals = extendLength(src, s, end, 15);
        if (literals < 0) throw new Error('LZ4 block ends inside a literal length');
        s = afterLength;
      }
      if (s + literals > end || d + literals > dstEnd) throw new Error('LZ4 literals run past the end of the block or its output');
      if (literals >= 4 && literals <= WORD_COPY_MAX) copyWords(sv, s, dv, d, literals);
      else if (literals > WORD_COPY_MAX) dst.set(src.subarray(s, s + literals), d);
      else for (let k = 0; k < literals; k++) dst[d + k] = src[s + k]!;
      s += literals;
      d += literals;
      if (s === end) return d; // the last sequence has literals only
    } else if (s === end) {
      return d;
    }
    if (s + 2 > end) throw new Error('LZ4 block ends inside a match offset');
    const offset = sv.getUint16(s, true);
    s += 2;
    let length = token & 15;
    if (length === 15) {
      length = extendLength(src, s, end, 15);
      if (length < 0) throw new Error('LZ4 block ends inside a match length');
      s = afterLength;
    }
    length += MIN_MATCH;
    if (offset === 0 || offset > d) throw new Error(`LZ4 match offset ${offset} points before the output`);
    if (d + length > dstEnd) throw new Error('LZ4 match runs past the end of the output');
    if (offset >= 4 && length <= WORD_COPY_MAX) {
      // Most sequences of column data: a short repeat of a value seen a few rows back.
      copyWords(dv, d - offset, dv, d, length);
      d += length;
    } else if (length <= 16 && offset > 1) {
      for (let k = d - offset, e = d + length; d < e; d++, k++) dst[d] = dst[k]!;
    } else {
      copyMatch(dst, d, offset, length);
      d += length;
    }
  }
}

/**
 * Copies `n` (4 or more) bytes from `from` in `a` to `to` in `b` a word at a time, in order; the
 * last word ends at `to + n` (it may rewrite bytes of the one before with the same values). Within
 * one array the source must start at least 4 bytes before the destination: each word read is then
 * final (before `to`, or written already), so an overlapping match repeats as LZ4 means it to.
 */
function copyWords(a: DataView, from: number, b: DataView, to: number, n: number): void {
  const last = n - 4;
  for (let k = 0; k < last; k += 4) b.setUint32(to + k, a.getUint32(from + k, true), true);
  b.setUint32(to + last, a.getUint32(from + last, true), true);
}

/** Copies `length` bytes from `offset` back to `d` (overlapping: the run repeats with that period). */
function copyMatch(dst: Uint8Array, d: number, offset: number, length: number): void {
  if (offset === 1) {
    const v = dst[d - 1]!;
    if (v !== 0) dst.fill(v, d, d + length); // zeros are already there
    return;
  }
  if (offset >= length) {
    dst.copyWithin(d, d - offset, d - offset + length);
    return;
  }
  // A repeat of the last `offset` bytes: copy them, then the doubled pattern, and so on.
  const from = d - offset;
  let done = 0;
  let period = offset;
  while (done < length) {
    const n = Math.min(period, length - done);
    dst.copyWithin(d + done, from, from + n);
    done += n;
    period = done + offset;
  }
}

/**
 * Decodes one LZ4 frame whose header states its content size (the frames our writer makes);
 * returns undefined for a frame without one (the caller decodes those another way). Blocks may be
 * independent or linked; block and content checksums are skipped, not verified.
 */
export function lz4DecodeSizedFrame(src: Uint8Array, maxSize: number): Uint8Array | undefined {
  if (src.length < 7 || u32(src, 0) !== FRAME_MAGIC) throw new Error('not an LZ4 frame');
  const flg = src[4]!;
  if ((flg & FLG_CONTENT_SIZE) === 0) return undefined;
  if (src.length < 15) throw new Error('LZ4 frame header is cut short');
  const size = u32(src, 6) + u32(src, 10) * 2 ** 32;
  if (size > maxSize) throw new Error(`LZ4 frame claims ${size} bytes from ${src.length}`);
  const out = new Uint8Array(size);
  let s = 15 + ((flg & FLG_DICT_ID) !== 0 ? 4 : 0);
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0;
  let d = 0;
  for (;;) {
    if (s + 4 > src.length) throw new Error('LZ4 frame ends before its end mark');
    const word = u32(src, s);
    s += 4;
    if (word === 0) break;
    const n = (word & ~UNCOMPRESSED_BLOCK) >>> 0;
    if (s + n + blockChecksum > src.length) throw new Error('LZ4 block runs past the end of its frame');
    if (word & UNCOMPRESSED_BLOCK) {
      if (d + n > size) throw new Error('LZ4 block runs past the frame content size');
      out.set(src.subarray(s, s + n), d);
      d += n;
    } else {
      d = lz4DecodeBlock(src, s, s + n, out, d, size);
    }
    s += n + blockChecksum;
  }
  if ((flg & FLG_CONTENT_CHECKSUM) !== 0 && s + 4 > src.length) throw new Error('LZ4 frame ends before its checksum');
  if (d !== size) throw new Error(`LZ4 frame holds ${d} bytes, header says ${size}`);
  return out;
}

/**
 * The content size of a frame of zeros only (every literal 0, so every match copies zeros too),
 * or -1 for any other frame: one with data, without a stated content size, damaged, or whose
 * blocks do not add up to the size it states. Walks the sequences without writing and stops at
 * the first literal that is not 0 (at once, for most frames that hold data).
 */
export function lz4ZeroFrameSize(src: Uint8Array): number {
  if (src.length < 15 || u32(src, 0) !== FRAME_MAGIC || (src[4]! & FLG_CONTENT_SIZE) === 0) return -1;
  const flg = src[4]!;
  const size = u32(src, 6) + u32(src, 10) * 2 ** 32;
  let s = 15 + ((flg & FLG_DICT_ID) !== 0 ? 4 : 0);
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0;
  let total = 0;
  for (;;) {
    if (s + 4 > src.length) return -1;
    const word = u32(src, s);
    s += 4;
    if (word === 0) return total === size ? size : -1;
    const n = (word & ~UNCOMPRESSED_BLOCK) >>> 0;
    const end = s + n;
    if (end + blockChecksum > src.length) return -1;
    let got = n;
    if (word & UNCOMPRESSED_BLOCK) {
      for (let k = s; k < end; k++) if (src[k] !== 0) return -1;
    } else {
      got = zeroBlockSize(src, s, end, total);
    }
    if (got < 0) return -1;
    total += got;
    s = end + blockChecksum;
  }
}

/** Bytes a block of zeros decodes to, or -1 (a literal that is not 0, damage); `before`: output before it. */
function zeroBlockSize(src: Uint8Array, s: number, end: number, before: number): number {
  let out = 0;
  while (s < end) {
    const token = src[s++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      literals = extendLength(src, s, end, 15);
      if (literals < 0) return -1;
      s = afterLength;
    }
    if (s + literals > end) return -1;
    for (let k = 0; k < literals; k++) if (src[s + k] !== 0) return -1;
    s += literals;
    out += literals;
    if (s === end) return out;
    if (s + 2 > end) return -1;
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    let length = token & 15;
    if (length === 15) {
      length = extendLength(src, s, end, 15);
      if (length < 0) return -1;
      s = afterLength;
    }
    if (offset === 0 || offset > before + out) return -1;
    out += length + MIN_MATCH;
  }
  return -1;
}
