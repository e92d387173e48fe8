/**
 * Live capture for both hosts (the browser host and Electron's main): one CaptureSession at a
 * time, with the filter the page chose, streaming (not retaining) its events into a native trace
 * in a private temporary folder. The page follows that file: the browser host serves it
 * (`GET /capture?from=N`, bytes N… as written so far), Electron's main posts it on the live
 * MessagePort. Either way a capture reaches the page the way a file does, batch by batch.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveCaptureControl } from '../ipc/app-handlers.js';
import type { CaptureFilterOptions, ProbeReply } from '../ipc/capture-schema.js';
import type { CaptureStatus } from '../ipc/contract.js';
import type { CaptureOptions, ProbeReport } from '../native/capture-addon.js';
import { nativeConfig, type CaptureFilter } from '../native/capture-config.js';
import { HelperClient } from '../services/capture-helper-client.js';
import { CaptureSession } from '../services/capture-session.js';
import { GRANT_HINT, hasCapturePrivileges } from '../services/helper-launcher.js';

export const CAPTURE_PATH = '/capture';
/** How long a decoded row may wait before its batch is written (and so reaches the page). */
const FLUSH_MS = 100;
/** Largest answer to one `GET /capture` (the page asks again for the rest). */
const MAX_READ = 16 << 20;

export interface HostCaptureOptions {
  /** Whether this process may start the helper without asking (probe only then); default: its privileges. */
  readonly privileged?: () => boolean;
  /** The addon's options (ring buffer size, drain interval); default the addon's. Tests use a small ring. */
  readonly captureOptions?: CaptureOptions;
}

/** The one-line message for a capture that cannot start: the bad option, or how to grant privileges. */
export function captureStartError(e: unknown): Error {
  const message = (e as Error).message ?? String(e);
  if (e instanceof TypeError) return new Error(`capture options: ${message.replace(/^Expected /, 'expected ')}`);
  return new Error(message);
}

export class HostCapture implements LiveCaptureControl {
  private session: CaptureSession | undefined;
  private starting = false;
  private dir: string | undefined;
  private file = '';
  private message: string | null = null;
  private probed: ProbeReply | undefined;

  constructor(private readonly options: HostCaptureOptions = {}) {}

  /** The trace file of the current (or last) capture, or undefined before the first. */
  get tracePath(): string | undefined {
    return this.session ? this.file : undefined;
  }

  async start(filter: CaptureFilterOptions | undefined): Promise<CaptureStatus> {
    if (this.starting || this.session?.state === 'running' || this.session?.state === 'paused' || this.session?.state === 'helper-lost') {
      throw new Error('a capture is already running');
    }
    const kernelFilter: CaptureFilter | undefined = filter ? { ...filter } : undefined;
    try {
      if (kernelFilter) nativeConfig(kernelFilter);
    } catch (e) {
      throw captureStartError(e);
    }
    this.starting = true;
    try {
      this.dir ??= mkdtempSync(join(tmpdir(), 'wireview-capture-'));
      // A fresh file per capture: a page still following the last one sees it end, not change.
      const file = join(this.dir, `live-${Date.now()}.arrows`);
      const session = await CaptureSession.start({
        output: file,
        ...(kernelFilter ? { filter: kernelFilter } : {}),
        ...(this.options.captureOptions ? { captureOptions: this.options.captureOptions } : {}),
        retainEvents: false,
        flushIntervalMs: FLUSH_MS,
      });
      this.file = file;
      this.session = session;
      this.message = null;
      session.onEvent((e) => {
        if (e.type === 'helper-lost') this.message = `${e.message}. Resume restarts it (the gap is marked).`;
        else if (e.type === 'resumed') this.message = null;
      });
    } catch (e) {
      throw captureStartError(e);
    } finally {
      this.starting = false;
    }
    return this.status();
  }

  status(): CaptureStatus {
    const s = this.session?.stats();
    return {
      state: s?.state ?? 'idle',
      records: s?.records ?? 0,
      lost: s?.lost ?? 0,
      traceBytes: s?.fileBytes ?? 0,
      url: CAPTURE_PATH,
      message: this.message,
      filter: this.session ? (this.session.kernelFilter as CaptureFilterOptions) : null,
    };
  }

  async pause(): Promise<CaptureStatus> {
    await this.running('pause').pause();
    return this.status();
  }

  async resume(): Promise<CaptureStatus> {
    await this.running('resume').resume();
    this.message = null;
    return this.status();
  }

  async stop(): Promise<CaptureStatus> {
    await this.running('stop').stop();
    return this.status();
  }

  /** The probe of this kernel, asked of the helper once; without privileges, says so instead of asking. */
  async probe(): Promise<ProbeReply> {
    if (this.probed) return this.probed;
    if (!(this.options.privileged ?? hasCapturePrivileges)()) {
      return { available: false, message: `This host runs without capture privileges, so it cannot ask the kernel yet. ${GRANT_HINT}.`, events: [] };
    }
    const helper = new HelperClient({ onFrame: () => undefined });
    try {
      const report = await helper.request<ProbeReport>({ cmd: 'probe' });
      this.probed = {
        available: true,
        message: null,
        events: report.events.map((e) => ({ id: e.id, sources: e.sources.slice(0, 16), ...(e.why ? { why: e.why.slice(0, 512) } : {}) })),
      };
      return this.probed;
    } catch (e) {
      return { available: false, message: (e as Error).message.slice(0, 2048), events: [] };
    } finally {
      await helper.close();
    }
  }

  /** Bytes `from`… of the trace written so far (at most MAX_READ), or null when there is no capture. */
  read(from: number, max = MAX_READ): Uint8Array | null {
    if (!this.session) return null;
    const end = Math.min(this.session.stats().fileBytes, from + max);
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

  private running(action: string): CaptureSession {
    if (!this.session || this.session.state === 'stopped') throw new Error(`no capture is running to ${action}`);
    return this.session;
  }
}
