/**
 * Decodes framed batches of kernel records (bpf/records.h) into the columnar store, using only the
 * generated layout (layout.gen.ts through abi.ts). One frame: a wv_frame_hdr, then records, each
 * a wv_hdr with `size_bytes` (8-byte multiple) and a body chosen by `kind`.
 *
 * ABI rules applied here: an unknown major is refused; a record longer than its struct is accepted
 * only from a newer minor (its extra bytes are skipped); a record shorter than its struct is never
 * valid; unknown kinds and unknown event numbers are skipped whole (newer helpers). A bad frame
 * adds no rows: its structure is checked before any record is decoded.
 *
 * Speed: no object per record; fields go straight from a DataView into column writers.
 */
import { InputError } from '../errors.js';
import type { BatchBuilder } from '../store/batch-builder.js';
import type { EventStore } from '../store/event-store.js';
import { ABI, EVENT_OF_WIRE, KIND, offsetsOf } from './abi.js';
import { BodyDecoder } from './bodies.js';
import { HDR, HeaderDecoder } from './header.js';

const FRAME = offsetsOf('wv_frame_hdr', { magic: 4, abi_major: 2, abi_minor: 2, record_count: 4, records_bytes: 4, lost_records: 8 });

/** Bytes of the frame header. */
export const FRAME_HEADER_BYTES = FRAME.SIZE;

export interface RecordDecodeOptions {
  /** Names of the capturing kernel's `enum skb_drop_reason`, index = number (from its BTF). */
  readonly dropReasonNames?: readonly string[];
  /** Names of the probes the helper attached, index = `wv_hdr.source` (`tp:sock:sock_send_length`…). */
  readonly sourceNames?: readonly string[];
  /**
   * Called for a packet record that carries DNS bytes, with the row just written and a view of
   * those bytes inside the input (valid only during the call). The DNS parser sets dns_* columns
   * and may change the row's event to dns.query / dns.answer.
   */
  readonly onDnsPayload?: (builder: BatchBuilder, row: number, payload: Uint8Array) => void;
  /** Rows per sealed batch (default 65536). */
  readonly batchRows?: number;
}

/** What one frame held. */
export interface FrameResult {
  /** Bytes consumed: frame header plus `records_bytes`. */
  readonly bytes: number;
  /** Rows added. */
  readonly rows: number;
  /** Records skipped (unknown kind or event number). */
  readonly skipped: number;
  /** Lost-record count of the frame header (also added to `store.meta.lost`). */
  readonly lost: number;
}

const u64 = (view: DataView, off: number): number => view.getUint32(off + 4, true) * 4294967296 + view.getUint32(off, true);

/**
 * Length in bytes of the frame starting at `bytes[offset]` (header included), or undefined when
 * fewer than a frame header's bytes are there yet. Streaming readers use it to cut frames. Throws
 * InputError on a bad magic.
 */
export function frameLength(bytes: Uint8Array, offset = 0): number | undefined {
  if (bytes.length - offset < FRAME.SIZE) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(offset + FRAME.magic, true) !== ABI.WV_ABI_MAGIC) {
    throw new InputError('not a WireView record frame (bad magic)', offset);
  }
  return FRAME.SIZE + view.getUint32(offset + FRAME.records_bytes, true);
}

/** Minimum record size of each kind: the size of its struct (records only grow). */
const KIND_SIZE = new Uint16Array(Math.max(...Object.values<number>(KIND)) + 1);
for (const [name, kind] of Object.entries<number>(KIND)) {
  if (kind !== KIND.WV_REC_NONE) KIND_SIZE[kind] = offsetsOf(`wv_rec_${name.slice(7).toLowerCase()}` as never, {}).SIZE;
}

/**
 * Decodes frames into one EventStore. Rows collect in a BatchBuilder that is appended to the
 * store whenever it fills and on `flush()`. Not thread-safe; one decoder per capture stream.
 */
export class RecordDecoder {
  private builder: BatchBuilder | undefined;
  private readonly header: HeaderDecoder;
  private readonly bodies: BodyDecoder;

  constructor(
    private readonly store: EventStore,
    private readonly options: RecordDecodeOptions = {},
  ) {
    this.header = new HeaderDecoder(store, options.sourceNames ?? []);
    this.bodies = new BodyDecoder(store, options.dropReasonNames ?? [], options.onDnsPayload);
  }

  /** Decodes the frame at `bytes[offset]`; throws InputError (with the byte offset) on a bad frame. */
  decodeFrame(bytes: Uint8Array, offset = 0): FrameResult {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const total = frameLength(bytes, offset);
    if (total === undefined) throw new InputError(`frame header cut short (${bytes.length - offset} of ${FRAME.SIZE} bytes)`, offset);
    const major = view.getUint16(offset + FRAME.abi_major, true);
    const minor = view.getUint16(offset + FRAME.abi_minor, true);
    if (major !== ABI.WV_ABI_MAJOR) throw new InputError(`record ABI ${major}.${minor} is not supported (this reader knows ${ABI.WV_ABI_MAJOR}.x)`, offset + FRAME.abi_major);
    const end = offset + total;
    if (end > bytes.length) throw new InputError(`frame of ${total} bytes overruns the input (${bytes.length - offset} left)`, offset + FRAME.records_bytes);
    const count = view.getUint32(offset + FRAME.record_count, true);
    const lost = u64(view, offset + FRAME.lost_records);
    this.validate(view, offset + FRAME.SIZE, end, count, minor > ABI.WV_ABI_MINOR);

    let rows = 0;
    let skipped = 0;
    for (let off = offset + FRAME.SIZE; off < end; off += view.getUint16(off + HDR.size_bytes, true)) {
      const wire = view.getUint16(off + HDR.event, true);
      const kind = view.getUint8(off + HDR.kind);
      const event = wire < EVENT_OF_WIRE.length ? EVENT_OF_WIRE[wire]! : -1;
      if (event < 0 || kind >= KIND_SIZE.length || KIND_SIZE[kind] === 0) {
        skipped++;
        continue;
      }
      const builder = this.rowBuilder(view, off);
      const row = this.header.decode(builder, view, off, event);
      this.bodies.decode(view, off, kind, row, event);
      rows++;
    }
    this.store.meta.lost += lost;
    return { bytes: total, rows, skipped, lost };
  }

  /** Decodes every frame of `bytes` back to back; the bytes must end on a frame boundary. */
  decodeAll(bytes: Uint8Array): FrameResult {
    let off = 0;
    let rows = 0;
    let skipped = 0;
    let lost = 0;
    while (off < bytes.length) {
      const r = this.decodeFrame(bytes, off);
      off += r.bytes;
      rows += r.rows;
      skipped += r.skipped;
      lost += r.lost;
    }
    return { bytes: off, rows, skipped, lost };
  }

  /** Appends the rows decoded so far to the store as a batch. */
  flush(): void {
    const batch = this.builder?.finish();
    if (batch) this.store.append(batch);
  }

  /** Walks the record headers of a frame: sizes, alignment, bounds and count, before any row is written. */
  private validate(view: DataView, start: number, end: number, count: number, newerMinor: boolean): void {
    let off = start;
    let n = 0;
    while (off < end) {
      if (end - off < HDR.SIZE) throw new InputError(`record header cut short (${end - off} of ${HDR.SIZE} bytes)`, off);
      const size = view.getUint16(off + HDR.size_bytes, true);
      if (size < HDR.SIZE || size % ABI.WV_RECORD_ALIGN !== 0) throw new InputError(`bad record size ${size}`, off + HDR.size_bytes);
      if (size > end - off) throw new InputError(`record of ${size} bytes overruns its frame (${end - off} left)`, off + HDR.size_bytes);
      const kind = view.getUint8(off + HDR.kind);
      const known = kind < KIND_SIZE.length ? KIND_SIZE[kind]! : 0;
      if (known !== 0 && size < known) throw new InputError(`record of kind ${kind} is ${size} bytes, at least ${known} expected`, off + HDR.size_bytes);
      if (known !== 0 && size > known && !newerMinor) throw new InputError(`record of kind ${kind} is ${size} bytes, ${known} expected for ABI minor ≤ ${ABI.WV_ABI_MINOR}`, off + HDR.size_bytes);
      off += size;
      n++;
    }
    if (n !== count) throw new InputError(`frame says ${count} records, holds ${n}`, start - FRAME.SIZE + FRAME.record_count);
  }

  /** The builder for the next row: created at the first record's time, sealed into the store when full. */
  private rowBuilder(view: DataView, off: number): BatchBuilder {
    let b = this.builder;
    if (!b) {
      const base = this.store.baseNs ?? BigInt(view.getUint32(off + HDR.ts_ns + 4, true)) * 4294967296n + BigInt(view.getUint32(off + HDR.ts_ns, true));
      b = this.store.builder(base, this.options.batchRows);
      this.builder = b;
      this.header.attach(b);
      this.bodies.attach(b);
    } else if (b.full) {
      this.flush();
    }
    return b;
  }
}
