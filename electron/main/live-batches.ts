/**
 * Live capture bytes from main to the page on a MessagePort. Electron's MessagePortMain transfers
 * only ports, so every message's ArrayBuffer is copied once on its way: frames are gathered and
 * sent together every `intervalMs` (or sooner when `maxBytes` is reached), one copy per flush
 * instead of one message per helper frame. In the page the buffer is then transferred to the
 * engine worker without another copy.
 */
import type { LiveMessage } from '../ipc/events.js';

/** The part of MessagePortMain this uses; tests pass a fake. */
export interface LivePortLike {
  postMessage(message: LiveMessage): void;
  close(): void;
}

/** Timer functions, replaceable by tests. */
export interface TimerOptions {
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

export interface LiveBatchOptions extends TimerOptions {
  /** Longest a frame waits before it is sent, ms (16–50 keeps the timeline within a frame or three). */
  readonly intervalMs?: number;
  /** A flush happens at once when this many bytes wait. */
  readonly maxBytes?: number;
}

export class LiveBatchSender {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private timer: unknown = null;
  private seq = 0;
  private closed = false;
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    private readonly port: LivePortLike,
    options: LiveBatchOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 25;
    this.maxBytes = options.maxBytes ?? 8 << 20;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** Number of flushes sent so far. */
  get sent(): number {
    return this.seq;
  }

  /** Queues one whole frame (header + records). The bytes are copied at flush time, not kept by reference past it. */
  push(frame: Uint8Array): void {
    if (this.closed || frame.length === 0) return;
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    if (this.pendingBytes >= this.maxBytes) this.flush();
    else this.timer ??= this.setTimer(() => this.flush(), this.intervalMs);
  }

  /** Sends everything waiting as one message. */
  flush(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.closed || this.pendingBytes === 0) return;
    const bytes = new ArrayBuffer(this.pendingBytes);
    const view = new Uint8Array(bytes);
    let at = 0;
    for (const frame of this.pending) {
      view.set(frame, at);
      at += frame.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.port.postMessage({ seq: this.seq++, bytes });
  }

  /** Sends what waits, then closes the port. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.port.close();
  }
}
