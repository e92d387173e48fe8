import type { Message } from 'apache-arrow';

/** How much larger LZ4 output can be than its input (a run costs about one byte per 255). */
const LZ4_MAX_RATIO = 256;
/** Compressed buffers start with their uncompressed length (int64, -1: stored as is). */
const LENGTH_PREFIX = 8;

/** The parts of a record batch header (a dictionary batch's too) that size what Arrow builds. */
interface BatchHeader {
  readonly length: number;
  readonly nodes: readonly { readonly length: number; readonly nullCount: number }[];
  readonly buffers: readonly { readonly offset: number; readonly length: number }[];
  readonly compression: unknown;
}

/**
 * Bound of a record or dictionary batch's row counts by its body. Arrow sizes some of what it
 * builds by the counts in the header before it reads a buffer (a dictionary's memo cache is an
 * array of its length): a count of 10^9 in a 200-byte message then costs gigabytes. Every column
 * but Arrow's Null type keeps at least one bit per row in a buffer, so no count may exceed 8 rows
 * per byte the buffers can decode to (their stated size, at most what LZ4 can expand to). Returns
 * a reason, or undefined when sound. `body` is the message body as it is in the file.
 */
export function batchBoundsDamage(message: Message, body: Uint8Array): string | undefined {
  let header: BatchHeader;
  try {
    // Arrow decodes the header here, and throws on counts past 2^53 or missing vectors.
    if (message.isRecordBatch()) header = message.header();
    else if (message.isDictionaryBatch()) header = message.header().data;
    else return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  }
  const compressed = header.compression !== null && header.compression !== undefined;
  let bytes = 0;
  for (const b of header.buffers) {
    if (!Number.isSafeInteger(b.offset) || !Number.isSafeInteger(b.length) || b.offset < 0 || b.length < 0 || b.offset + b.length > body.length) {
      return `buffer at ${b.offset} of ${b.length} bytes outside a body of ${body.length}`;
    }
    bytes += compressed ? decodedBound(body, b.offset, b.length) : b.length;
  }
  const maxRows = bytes * 8;
  if (!(header.length >= 0 && header.length <= maxRows)) return `${header.length} rows in ${bytes} bytes of buffers`;
  for (const n of header.nodes) {
    if (!(n.length >= 0 && n.length <= maxRows)) return `column of ${n.length} rows in ${bytes} bytes of buffers`;
    if (!(n.nullCount >= 0 && n.nullCount <= n.length)) return `${n.nullCount} nulls in a column of ${n.length} rows`;
  }
  return undefined;
}

/** Bytes a compressed buffer can decode to: its stated size, capped by what its LZ4 data allows. */
function decodedBound(body: Uint8Array, offset: number, length: number): number {
  if (length === 0) return 0;
  if (length < LENGTH_PREFIX) return length;
  const data = length - LENGTH_PREFIX;
  const view = new DataView(body.buffer, body.byteOffset + offset, LENGTH_PREFIX);
  const stated = Number(view.getBigInt64(0, true));
  if (stated === -1) return data;
  return Math.min(Math.max(stated, 0), data * LZ4_MAX_RATIO + 64);
}
