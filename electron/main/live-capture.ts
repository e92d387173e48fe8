/**
 * Live capture in Electron: the same capture control as the browser host (HostCapture: one
 * CaptureSession at a time, its trace in a private temporary folder), whose trace bytes main
 * posts to the page on the live MessagePort (LiveBatchSender: transferred ArrayBuffers, one copy
 * per flush) instead of the page fetching them. A TracePump reads what the session has written
 * since its last look every `intervalMs`; on stop it drains the rest before the reply, so the
 * page has every byte the final status counts (it waits for them by `traceBytes`).
 */
import type { LiveCaptureControl } from '../ipc/app-handlers.js';
import type { CaptureFilterOptions, ProbeReply } from '../ipc/capture-schema.js';
import type { CaptureStatus } from '../ipc/contract.js';
import type { TimerOptions } from './live-batches.js';

/** What the pump reads: the capture's trace so far (HostCapture). */
export interface TraceSource {
  read(from: number, max: number): Uint8Array | null;
}

/** Where the pump posts (LiveBatchSender of the page loaded now, or none). */
export interface ByteSink {
  push(bytes: Uint8Array): void;
  flush(): void;
}

export interface PumpOptions extends TimerOptions {
  readonly intervalMs?: number;
  /** Largest read per look (the sender flushes at its own limit). */
  readonly chunkBytes?: number;
}

export class TracePump {
  private offset = 0;
  private timer: unknown = null;
  private readonly intervalMs: number;
  private readonly chunkBytes: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    private readonly source: TraceSource,
    private readonly sink: () => ByteSink | null,
    options: PumpOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 25;
    this.chunkBytes = options.chunkBytes ?? 4 << 20;
    this.setTimer = options.setTimer ?? ((fn, ms) => setInterval(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearInterval(t as ReturnType<typeof setInterval>));
  }

  /** Bytes posted so far of the current capture's trace. */
  get posted(): number {
    return this.offset;
  }

  /** A new capture: its trace is posted from its first byte. */
  restart(): void {
    this.stopTimer();
    this.offset = 0;
    this.timer = this.setTimer(() => this.pump(), this.intervalMs);
  }

  /** Posts everything written since the last look. */
  pump(): void {
    const sink = this.sink();
    if (!sink) return; // no page to post to: the bytes wait in the file
    for (;;) {
      const bytes = this.source.read(this.offset, this.chunkBytes);
      if (!bytes || bytes.length === 0) return;
      sink.push(bytes);
      this.offset += bytes.length;
    }
  }

  /** The capture ended: post the rest now and stop looking. */
  finish(): void {
    this.stopTimer();
    this.pump();
    this.sink()?.flush();
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}

/** The capture control main gives the IPC handlers: HostCapture's, with its trace pumped to the page. */
export class PumpedCapture implements LiveCaptureControl {
  constructor(
    private readonly capture: LiveCaptureControl,
    private readonly pump: TracePump,
    /** Told when a capture has stopped (main makes its trace the open file, for Save As and Export). */
    private readonly onStopped: () => void = () => undefined,
  ) {}

  async start(filter: CaptureFilterOptions | undefined): Promise<CaptureStatus> {
    const status = await this.capture.start(filter);
    this.pump.restart();
    return status;
  }

  status(): CaptureStatus {
    const s = this.capture.status();
    if (s.state === 'stopped') this.pump.finish();
    return s;
  }

  pause(): Promise<CaptureStatus> {
    return this.capture.pause();
  }

  resume(): Promise<CaptureStatus> {
    return this.capture.resume();
  }

  async stop(): Promise<CaptureStatus> {
    const status = await this.capture.stop();
    this.pump.finish();
    this.onStopped();
    return status;
  }

  probe(): Promise<ProbeReply> {
    return this.capture.probe();
  }
}
