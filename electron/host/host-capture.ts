/**
 * Live capture for the browser host: one CaptureSession at a time, streaming (not retaining) its
 * events into a native trace in a private temporary folder. The page tails that file over HTTP
 * (`GET /capture?from=N`, bytes N… as written so far) and feeds them to its engine, so a capture
 * reaches the page the same way a file does, batch by batch, every ~100 ms.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureStatus } from '../ipc/contract.js';
import type { LiveCaptureControl } from '../ipc/app-handlers.js';
import { CaptureSession } from '../services/capture-session.js';

export const CAPTURE_PATH = '/capture';
/** How long a decoded row may wait before its batch is written (and so reaches the page). */
const FLUSH_MS = 100;
/** Largest answer to one `GET /capture` (the page asks again for the rest). */
const MAX_READ = 16 << 20;

export class HostCapture implements LiveCaptureControl {
  private session: CaptureSession | undefined;
  private starting = false;
  private dir: string | undefined;
  private file = '';

  async start(): Promise<CaptureStatus> {
    if (this.starting || this.session?.state === 'running' || this.session?.state === 'paused') throw new Error('a capture is already running');
    this.starting = true;
    try {
      this.dir ??= mkdtempSync(join(tmpdir(), 'wireview-capture-'));
      // A fresh file per capture: a page still tailing the last one sees it end, not change.
      this.file = join(this.dir, `live-${Date.now()}.arrows`);
      this.session = await CaptureSession.start({ output: this.file, retainEvents: false, flushIntervalMs: FLUSH_MS });
    } finally {
      this.starting = false;
    }
    return this.status();
  }

  status(): CaptureStatus {
    const s = this.session?.stats();
    return { state: s?.state ?? 'idle', records: s?.records ?? 0, lost: s?.lost ?? 0, traceBytes: s?.fileBytes ?? 0, url: CAPTURE_PATH };
  }

  async stop(): Promise<CaptureStatus> {
    if (!this.session || this.session.state === 'stopped') throw new Error('no capture is running');
    await this.session.stop();
    return this.status();
  }

  /** Bytes `from`… of the trace written so far (at most MAX_READ), or null when there is no capture. */
  read(from: number): Uint8Array | null {
    if (!this.session) return null;
    const end = Math.min(this.session.stats().fileBytes, from + MAX_READ);
    if (end <= from) return new Uint8Array(0);
    const out = new Uint8Array(end - from);
    const fd = openSync(this.file, 'r');
    try {
      let at = 0;
      while (at < out.length) {
        const n = readSync(fd, out, at, out.length - at, from + at);
        if (n === 0) break;
        at += n;
      }
      return out.subarray(0, at);
    } finally {
      closeSync(fd);
    }
  }

  async close(): Promise<void> {
    if (this.session && this.session.state !== 'stopped') await this.session.stop().catch(() => undefined);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
