/**
 * The helper's stdout: a sequence of messages, each an 8-byte header (u32 kind, u32 payload
 * length, little-endian) and its payload. Kind 1 carries one record frame exactly as the addon
 * produced it (records.h: wv_frame_hdr + records), kind 2 one JSON object (replies, stats, errors).
 * Bytes pass through untouched: the helper never decodes records.
 */
export const MessageKind = { frame: 1, json: 2 } as const;
export const MESSAGE_HEADER_BYTES = 8;
/** Largest payload accepted on read (a frame is at most 64 MiB by the addon's own limit). */
export const MAX_MESSAGE_BYTES = 64 << 20;

export function encodeMessage(kind: number, payload: Uint8Array): Uint8Array[] {
  const header = new Uint8Array(MESSAGE_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, kind, true);
  view.setUint32(4, payload.length, true);
  return [header, payload];
}

export function encodeJson(value: unknown): Uint8Array[] {
  return encodeMessage(MessageKind.json, new TextEncoder().encode(JSON.stringify(value)));
}

export type HelperMessage = { kind: 1; frame: Uint8Array } | { kind: 2; json: Record<string, unknown> };

/** Largest assembly buffer a reader with `transient` messages keeps between messages. */
const KEPT_ASSEMBLY_BYTES = 8 << 20;

export interface MessageReaderOptions {
  /**
   * The caller is done with every message before its next `push()` (it decodes frames at once and
   * keeps nothing): messages that span chunks are then assembled in buffers reused from message to
   * message, instead of a new allocation each (a capture streams tens of MB/s through here).
   */
  readonly transient?: boolean;
}

/**
 * Splits the helper's stdout back into messages, whatever the chunk boundaries. Every byte is
 * copied at most once: a message that lies inside one chunk is returned as a view of that chunk
 * (so chunks must not be reused by the caller, unless it is `transient`: then it may reuse a chunk's
 * buffer once push() and the handling of its messages have returned), and one that
 * spans chunks is assembled as its pieces arrive: in a buffer of its exact size, or with
 * `transient` in one of two buffers the reader reuses in turn (a push completes at most the one
 * message begun in an earlier chunk, and may begin one that the next push completes).
 */
export class MessageReader {
  private readonly head = new Uint8Array(MESSAGE_HEADER_BYTES);
  private readonly assemblies: (Uint8Array | undefined)[] = [undefined, undefined];
  private nextAssembly = 0;
  private headFill = 0;
  private kind = 0;
  /** The message being assembled (after its header arrived), and how much of it has. */
  private body: Uint8Array | undefined;
  private bodyFill = 0;

  constructor(private readonly options: MessageReaderOptions = {}) {}

  /** Feeds bytes; returns the whole messages they complete. Throws on a corrupt stream. */
  push(chunk: Uint8Array): HelperMessage[] {
    const out: HelperMessage[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.body) {
        const n = Math.min(this.body.length - this.bodyFill, chunk.length - at);
        this.body.set(chunk.subarray(at, at + n), this.bodyFill);
        this.bodyFill += n;
        at += n;
        if (this.bodyFill === this.body.length) {
          out.push(this.message(this.kind, this.body));
          this.body = undefined;
        }
        continue;
      }
      if (this.headFill === 0 && chunk.length - at >= MESSAGE_HEADER_BYTES) {
        const length = this.header(chunk, at);
        at += MESSAGE_HEADER_BYTES;
        if (chunk.length - at >= length) {
          out.push(this.message(this.kind, chunk.subarray(at, at + length)));
          at += length;
        } else {
          this.startBody(length);
        }
        continue;
      }
      // A header split across chunks: collect its 8 bytes first.
      const n = Math.min(MESSAGE_HEADER_BYTES - this.headFill, chunk.length - at);
      this.head.set(chunk.subarray(at, at + n), this.headFill);
      this.headFill += n;
      at += n;
      if (this.headFill === MESSAGE_HEADER_BYTES) {
        this.headFill = 0;
        const length = this.header(this.head, 0);
        if (length === 0) out.push(this.message(this.kind, new Uint8Array(0)));
        else this.startBody(length);
      }
    }
    return out;
  }

  /** Bytes received that do not yet form a whole message. */
  get buffered(): number {
    return this.headFill + (this.body ? MESSAGE_HEADER_BYTES + this.bodyFill : 0);
  }

  /** Reads and checks the header at `bytes[at]`; sets `kind`, returns the payload length. */
  private header(bytes: Uint8Array, at: number): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, MESSAGE_HEADER_BYTES);
    const kind = view.getUint32(0, true);
    const length = view.getUint32(4, true);
    if ((kind !== MessageKind.frame && kind !== MessageKind.json) || length > MAX_MESSAGE_BYTES) {
      throw new Error(`helper stream corrupt: message kind ${kind}, length ${length}`);
    }
    this.kind = kind;
    return length;
  }

  private startBody(length: number): void {
    this.bodyFill = 0;
    if (this.options.transient) {
      const i = this.nextAssembly;
      this.nextAssembly ^= 1;
      let buffer = this.assemblies[i];
      if (!buffer || buffer.length < length) buffer = unzeroed(Math.max(length, 2 * (buffer?.length ?? 0)));
      this.assemblies[i] = buffer.length <= KEPT_ASSEMBLY_BYTES ? buffer : undefined; // one huge frame: not kept
      this.body = buffer.subarray(0, length);
      return;
    }
    this.body = unzeroed(length);
  }

  private message(kind: number, payload: Uint8Array): HelperMessage {
    if (kind === MessageKind.frame) return { kind: 1, frame: payload };
    return { kind: 2, json: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown> };
  }
}

/** A buffer of `length` bytes whose contents are overwritten before use: no need to zero it. */
function unzeroed(length: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(b.buffer, b.byteOffset, length);
}
