import { Message, type MessageHeader } from 'apache-arrow';
import { InputError } from '../../errors.js';
import { checkMessageHeader } from './message-check.js';

/** One whole IPC message: its bytes (prefix, metadata, body) and where it starts in the input. */
export interface FramedMessage {
  readonly bytes: Uint8Array;
  readonly offset: number;
  readonly type: MessageHeader;
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

  /** Adds input and returns the messages it completes. */
  push(chunk: Uint8Array): FramedMessage[] {
    if (this.sawEnd) return [];
    if (this.buf.length === 0) this.buf = chunk;
    else {
      const joined = new Uint8Array(this.buf.length + chunk.length);
      joined.set(this.buf);
      joined.set(chunk, this.buf.length);
      this.buf = joined;
    }
    const out: FramedMessage[] = [];
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
    // Whole messages keep views of the old buffer; the remainder is copied so it can be freed.
    this.buf = this.buf.slice(at);
    this.bufStart += at;
    return out;
  }

  /** Size and type of the message at `at`, 'end' for the end marker, undefined while incomplete. */
  private frameAt(at: number): { size: number; type: MessageHeader } | 'end' | undefined {
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
    const size = prefix + metaLen + bodyLength;
    if (b.length - at < size) return undefined;
    return { size, type: message.headerType };
  }

  private int32(at: number): number {
    const b = this.buf;
    return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
  }
}
