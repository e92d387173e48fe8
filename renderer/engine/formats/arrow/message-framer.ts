import { Message, type MessageHeader } from 'apache-arrow';
import { InputError } from '../../errors.js';
import { batchBoundsDamage } from './batch-bounds.js';
import { checkMessageHeader } from './message-check.js';

/** One whole IPC message: its bytes (prefix, metadata, body) and where it starts in the input. */
export interface FramedMessage {
  readonly bytes: Uint8Array;
  readonly offset: number;
  readonly type: MessageHeader;
}

/** A message whose header was read: its whole size, type, decoded header and where its body starts. */
interface Header {
  size: number;
  type: MessageHeader;
  message: Message;
  bodyStart: number;
}

/** Larger metadata or bodies than these are damage, not data (a batch body is a few MiB). */
const MAX_METADATA_BYTES = 16 << 20;
const MAX_BODY_BYTES = 1 << 30;

/**
 * Splits an Arrow IPC stream, pushed in chunks of any size, into whole messages, reading only the
 * message prefixes and headers. Arrow's own reader is pull-based and would take a half-arrived
 * message for the end of the stream; handing it whole messages only keeps it correct.
 */
export class MessageFramer {
  private buf: Uint8Array = new Uint8Array(0);
  /** Storage `buf` is a view of while a message is being joined (its capacity is what that message wants). */
  private room: Uint8Array = this.buf;
  /** Absolute offset of buf[0]. */
  private bufStart = 0;
  /** Set once the end-of-stream marker was read; bytes after it are ignored. */
  sawEnd = false;

  /** Bytes received but not yet part of a whole message. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  get offset(): number {
    return this.bufStart;
  }

  /**
   * Adds input and returns the messages it completes. Only the bytes of a message that began in
   * an earlier chunk are copied (joined to what it still needs); the others are views of `chunk`.
   */
  push(chunk: Uint8Array): FramedMessage[] {
    if (this.sawEnd) return [];
    const out: FramedMessage[] = [];
    let used = 0;
    while (this.buf.length > 0 && used < chunk.length) {
      const want = this.wanted();
      const take = Math.min(chunk.length - used, want - this.buf.length);
      // Room for the whole of what is wanted, made once: a message arriving in many small chunks
      // is copied once, not once per chunk.
      if (this.room.length < want) {
        const room = new Uint8Array(want);
        room.set(this.buf);
        this.room = room;
      } else if (this.buf.buffer !== this.room.buffer) {
        this.room.set(this.buf);
      }
      this.room.set(chunk.subarray(used, used + take), this.buf.length);
      this.buf = this.room.subarray(0, this.buf.length + take);
      used += take;
      if (this.buf.length < want) return out; // the chunk ended first
      const m = this.frameAt(0);
      if (m === undefined) continue; // `want` was its header: its size is known now
      if (m === 'end') {
        this.sawEnd = true;
        this.bufStart += this.buf.length;
        this.buf = new Uint8Array(0);
        return out;
      }
      out.push({ bytes: this.buf, offset: this.bufStart, type: m.type });
      this.bufStart += m.size;
      this.buf = new Uint8Array(0);
      this.room = this.buf; // the message keeps its bytes
    }
    if (used === chunk.length) return out;
    this.buf = used === 0 ? chunk : chunk.subarray(used);
    let at = 0;
    for (;;) {
      const m = this.frameAt(at);
      if (m === undefined) break;
      if (m === 'end') {
        this.sawEnd = true;
        at = this.buf.length;
        break;
      }
      out.push({ bytes: this.buf.subarray(at, at + m.size), offset: this.bufStart + at, type: m.type });
      at += m.size;
    }
    // Whole messages keep views of the chunk; the remainder is copied so it can be freed.
    this.buf = this.buf.slice(at);
    this.room = this.buf;
    this.bufStart += at;
    return out;
  }

  /**
   * Bytes the message at the start of `buf` needs: its whole size once its header is in, else
   * enough to read the header (the end marker needs no more than it has).
   */
  private wanted(): number {
    const h = this.headerAt(0);
    if (h === 'end') return this.buf.length;
    if (h !== undefined) return h.size;
    if (this.buf.length < 8) return 8;
    const first = this.int32(0);
    return first === -1 ? 8 + this.int32(4) : 4 + first;
  }

  /**
   * Size and type of the message at `at`, 'end' for the end marker, undefined while incomplete.
   * A whole message's row counts are checked against its body before Arrow sees them.
   */
  private frameAt(at: number): Header | 'end' | undefined {
    const h = this.headerAt(at);
    if (h === undefined || h === 'end') return h;
    if (this.buf.length - at < h.size) return undefined;
    const damage = batchBoundsDamage(h.message, this.buf.subarray(at + h.bodyStart, at + h.size));
    if (damage !== undefined) throw new InputError(`damaged Arrow message: ${damage}`, this.bufStart + at);
    return h;
  }

  /**
   * Size and type of the message at `at` (its body may not be in yet), 'end' for the end marker,
   * undefined while its header is incomplete. Damage throws.
   */
  private headerAt(at: number): Header | 'end' | undefined {
    const b = this.buf;
    if (b.length - at < 8) return b.length - at >= 4 && this.int32(at) === 0 ? 'end' : undefined;
    const offset = this.bufStart + at;
    const first = this.int32(at);
    // Since Arrow 0.15 every message starts with 0xFFFFFFFF; older writers put the length first.
    const prefix = first === -1 ? 8 : 4;
    const metaLen = first === -1 ? this.int32(at + 4) : first;
    if (metaLen === 0) return 'end';
    if (metaLen < 0 || metaLen > MAX_METADATA_BYTES) {
      throw new InputError(`not an Arrow IPC stream: bad message length ${metaLen}`, offset);
    }
    if (b.length - at < prefix + metaLen) return undefined;
    const header = b.subarray(at + prefix, at + prefix + metaLen);
    const damage = checkMessageHeader(header);
    if (damage !== undefined) throw new InputError(`damaged Arrow message header: ${damage}`, offset);
    let message: Message;
    try {
      message = Message.decode(header);
    } catch {
      throw new InputError('damaged Arrow message header', offset);
    }
    const bodyLength = Number(message.bodyLength);
    if (!Number.isSafeInteger(bodyLength) || bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
      throw new InputError(`damaged Arrow message: body length ${String(message.bodyLength)}`, offset);
    }
    return { size: prefix + metaLen + bodyLength, type: message.headerType, message, bodyStart: prefix + metaLen };
  }

  private int32(at: number): number {
    const b = this.buf;
    return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
  }
}
