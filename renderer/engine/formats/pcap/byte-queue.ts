/**
 * The unread bytes of a pushed stream, as one contiguous view. A chunk is read in place when
 * nothing is pending; only a record cut by a chunk boundary is copied. `offsetOf(pos)` gives the
 * absolute byte offset in the input for error messages.
 */
export class ByteQueue {
  /** Bytes; the unread ones are `buf[start…end)`. */
  buf: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  /** Absolute input offset of `buf[0]`. */
  private base = 0;
  /** True when `buf` is the caller's chunk (must be copied before the caller reuses it). */
  private borrowed = false;

  get available(): number {
    return this.end - this.start;
  }

  /** Absolute input offset of `buf[pos]`. */
  offsetOf(pos: number): number {
    return this.base + pos;
  }

  /** Total bytes consumed so far (absolute offset of the first unread byte). */
  get consumed(): number {
    return this.base + this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.available === 0) {
      this.base += this.end;
      this.buf = chunk;
      this.start = 0;
      this.end = chunk.length;
      this.borrowed = true;
      return;
    }
    const need = this.available + chunk.length;
    let target = this.buf;
    if (this.borrowed || need > this.buf.length) target = new Uint8Array(Math.max(need, this.buf.length * 2, 1 << 16));
    if (target === this.buf) this.buf.copyWithin(0, this.start, this.end);
    else target.set(this.buf.subarray(this.start, this.end), 0);
    this.base += this.start;
    target.set(chunk, this.available);
    this.buf = target;
    this.end = need;
    this.start = 0;
    this.borrowed = false;
  }

  /** Called after a push has been parsed: keep a private copy of any unread tail of a borrowed chunk. */
  settle(): void {
    if (!this.borrowed) return;
    const rest = this.buf.slice(this.start, this.end);
    this.base += this.start;
    this.buf = rest;
    this.start = 0;
    this.end = rest.length;
    this.borrowed = false;
  }
}
