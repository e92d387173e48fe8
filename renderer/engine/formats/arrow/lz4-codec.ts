import { CompressionType, compressionRegistry } from 'apache-arrow';
import * as lz4 from 'lz4js';
import { lz4BlockBound, lz4CompressBlock, lz4ZeroBlock } from './lz4-block.js';
import { lz4DecodeSizedFrame, lz4ZeroFrameSize } from './lz4-decode.js';

/**
 * LZ4 frame codec for Arrow IPC body compression (the codec Arrow C++, pyarrow and polars name
 * `lz4_frame`). Compression is ours (lz4-block.ts, built for speed on column data); so is decoding
 * of frames that carry their content size (lz4-decode.ts: exact allocation, runs expanded at
 * memset speed), which ours always do; lz4js decodes frames without it. Pure JS: the same code runs in Node and in the engine's Web Worker.
 */

const MAGIC = 0x184d2204;
const FLG_VERSION_1 = 0x40;
const FLG_BLOCK_INDEPENDENT = 0x20;
const FLG_CONTENT_SIZE = 0x08;
const BLOCK_MAX = 0x400000; // 4 MiB, BD code 7
const BD_4MIB = 7 << 4;
const UNCOMPRESSED_BLOCK = 0x80000000;

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** xxHash32 (seed 0) of fewer than 16 bytes: only the frame descriptor is ever hashed here. */
function xxh32Short(b: Uint8Array, start: number, end: number): number {
  let h = (PRIME5 + (end - start)) | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const word = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    h = Math.imul(rotl((h + Math.imul(word, PRIME3)) | 0, 17), PRIME4);
  }
  for (; i < end; i++) h = Math.imul(rotl((h + Math.imul(b[i]!, PRIME5)) | 0, 11), PRIME1);
  h ^= h >>> 15;
  h = Math.imul(h, PRIME2);
  h ^= h >>> 13;
  h = Math.imul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}

function writeU32(dst: Uint8Array, at: number, v: number): void {
  dst[at] = v & 255;
  dst[at + 1] = (v >>> 8) & 255;
  dst[at + 2] = (v >>> 16) & 255;
  dst[at + 3] = (v >>> 24) & 255;
}

/**
 * Buffers their owner promises are zero-filled and stay so (TraceWriter's all-null columns): their
 * frames are written without reading them. Arrow hands the codec new views of the same memory,
 * so the ArrayBuffer is the key.
 */
const zeroFilled = new WeakSet<ArrayBufferLike>();

/** Declares `buffer` all zeros for as long as it lives (the caller never writes to it). */
export function markZeroFilled(buffer: ArrayBufferLike): void {
  zeroFilled.add(buffer);
}

/**
 * Compresses `src[start, end)` into `dst` from `at`; returns the end of the output, or -1 when
 * it would not be smaller (the contract of lz4CompressBlock, lz4-block.ts).
 */
export type Lz4BlockCompressor = (src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number) => number;

let compressBlock: Lz4BlockCompressor = lz4CompressBlock;

/**
 * The block compressor of every frame encoded from now on: a native one where the process has
 * it (electron/native/lz4-addon.ts), or the JS one again with `lz4CompressBlock`. Any LZ4 block
 * compressor makes frames that decode to the same bytes; only their size and the CPU differ.
 */
export function useLz4BlockCompressor(compressor: Lz4BlockCompressor): void {
  compressBlock = compressor;
}

/** Output scratch, grown as needed and reused: a frame is copied out of it at the end. */
let scratch = new Uint8Array(0);

/**
 * One LZ4 frame with content size, independent 4 MiB blocks, no checksums (Arrow adds none
 * either), or undefined when no block got smaller (`whenSmaller`: the caller stores the bytes
 * as they are).
 */
function encodeFrame(src: Uint8Array, whenSmaller: boolean): Uint8Array | undefined {
  const blocks = Math.max(1, Math.ceil(src.length / BLOCK_MAX));
  const need = lz4BlockBound(src.length) + 19 + blocks * 4 + 4;
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
  const dst = scratch;
  writeU32(dst, 0, MAGIC);
  dst[4] = FLG_VERSION_1 | FLG_BLOCK_INDEPENDENT | FLG_CONTENT_SIZE;
  dst[5] = BD_4MIB;
  writeU32(dst, 6, src.length >>> 0);
  writeU32(dst, 10, Math.floor(src.length / 2 ** 32));
  dst[14] = (xxh32Short(dst, 4, 14) >>> 8) & 255;
  let at = 15;
  let packedAny = false;
  const zeros = zeroFilled.has(src.buffer);
  for (let from = 0; from < src.length; from += BLOCK_MAX) {
    const size = Math.min(BLOCK_MAX, src.length - from);
    const packedEnd = zeros ? lz4ZeroBlock(size, dst, at + 4) : compressBlock(src, from, from + size, dst, at + 4);
    if (packedEnd < 0) {
      writeU32(dst, at, (UNCOMPRESSED_BLOCK | size) >>> 0);
      dst.set(src.subarray(from, from + size), at + 4);
      at += 4 + size;
    } else {
      packedAny = true;
      writeU32(dst, at, packedEnd - at - 4);
      at = packedEnd;
    }
  }
  if (whenSmaller && !packedAny) return undefined;
  writeU32(dst, at, 0); // end mark
  return dst.slice(0, at + 4);
}

/** One LZ4 frame of `src` (incompressible blocks are stored as LZ4's uncompressed blocks). */
export function lz4FrameEncode(src: Uint8Array): Uint8Array {
  return encodeFrame(src, false)!;
}

/**
 * Arrow's encode hook: the frame, or `src` itself when LZ4 does not make it smaller. Arrow then
 * writes the buffer uncompressed with length -1, as the IPC format allows for any buffer.
 */
export function lz4EncodeForArrow(src: Uint8Array): Uint8Array {
  // Tiny buffers always get a frame: Arrow checks the codec by encoding 8 bytes.
  return encodeFrame(src, src.length > 64) ?? src;
}

/** Zeros that frames of zeros decode to (views of it); only grows, never written. */
let sharedZeros = new Uint8Array(0);

function zerosView(size: number): Uint8Array {
  // Always longer than the view, so a view is never taken for an array of its own.
  if (sharedZeros.length <= size) sharedZeros = new Uint8Array(Math.max(size + 8, sharedZeros.length * 2));
  return sharedZeros.subarray(0, size);
}

/**
 * Decodes one LZ4 frame. Frames stating their content size (ours always do) are decoded
 * into an exact allocation by lz4-decode.ts; others by lz4js, bounded by their block size.
 * A frame of zeros (an all-null column's buffers) decodes to a view of shared zeros, so its
 * memory is never allocated: **the result is read-only**.
 */
export function lz4FrameDecode(src: Uint8Array): Uint8Array {
  // LZ4 expands at most ~255:1; a larger claim is damage and must not size an allocation.
  const zeros = lz4ZeroFrameSize(src);
  if (zeros >= 0) return zerosView(zeros);
  const sized = lz4DecodeSizedFrame(src, src.length * 256 + 64);
  if (sized) return sized;
  const bound = lz4.decompressBound(src) as unknown as number;
  if (!(bound <= src.length * 256 + (4 << 20))) throw new Error('LZ4 frame larger than its data allows');
  return lz4.decompress(src, bound);
}

let registered = false;

/** Registers the codec with Arrow (idempotent); readers and writers call it before use. */
export function registerLz4Codec(): void {
  if (registered) return;
  compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: lz4EncodeForArrow, decode: lz4FrameDecode });
  registered = true;
}
