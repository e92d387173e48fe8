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

/** Splits the helper's stdout back into messages, whatever the chunk boundaries. */
export class MessageReader {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  /** Feeds bytes; returns the whole messages they complete. Throws on a corrupt stream. */
  push(chunk: Uint8Array): HelperMessage[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: HelperMessage[] = [];
    for (;;) {
      if (this.pendingBytes < MESSAGE_HEADER_BYTES) break;
      const head = this.peek(MESSAGE_HEADER_BYTES);
      const view = new DataView(head.buffer, head.byteOffset, MESSAGE_HEADER_BYTES);
      const kind = view.getUint32(0, true);
      const length = view.getUint32(4, true);
      if ((kind !== MessageKind.frame && kind !== MessageKind.json) || length > MAX_MESSAGE_BYTES) {
        throw new Error(`helper stream corrupt: message kind ${kind}, length ${length}`);
      }
      if (this.pendingBytes < MESSAGE_HEADER_BYTES + length) break;
      const whole = this.take(MESSAGE_HEADER_BYTES + length).subarray(MESSAGE_HEADER_BYTES);
      if (kind === MessageKind.frame) out.push({ kind: 1, frame: whole });
      else out.push({ kind: 2, json: JSON.parse(new TextDecoder().decode(whole)) as Record<string, unknown> });
    }
    return out;
  }

  /** Bytes received that do not yet form a whole message. */
  get buffered(): number {
    return this.pendingBytes;
  }

  private peek(n: number): Uint8Array {
    const first = this.pending[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return this.join().subarray(0, n);
  }

  private take(n: number): Uint8Array {
    const all = this.pending.length === 1 ? this.pending[0]! : this.join();
    const taken = all.slice(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return taken;
  }

  private join(): Uint8Array {
    const all = new Uint8Array(this.pendingBytes);
    let off = 0;
    for (const p of this.pending) {
      all.set(p, off);
      off += p.length;
    }
    this.pending = [all];
    return all;
  }
}
