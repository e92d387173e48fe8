/**
 * A live capture as the unprivileged side runs it (CLI, browser host, Electron main): starts the
 * helper, sends it start/pause/resume/reconfigure/stop, decodes its frames into a CaptureStore
 * (DNS answers parsed on the way), and spills every sealed batch to the trace file at once.
 *
 * Supervision: the helper's exit is seen from its process's exit event (well within 2 s of a
 * crash); the rows received so far are sealed and written, the session goes to 'helper-lost'
 * and `resume()` starts a new helper with the same filter. The gap is marked in the trace: a
 * capture.lost row (source `helper`) at its start and `meta.extra.gaps` with start and end.
 */
import { hostname, release } from 'node:os';
import type { CaptureOptions, StartInfo } from '../native/capture-addon.js';
import { nativeConfig, type CaptureFilter } from '../native/capture-config.js';
import { compileFilter } from '../../renderer/engine/filter/filter.js';
import { eventIndex } from '../../renderer/engine/model/events.js';
import { RecordDecoder } from '../../renderer/engine/records/decode.js';
import type { EventBatch } from '../../renderer/engine/store/batch.js';
import { bootTimeNs, wallOffsetNs } from './capture-clock.js';
import { CaptureDns } from './capture-dns.js';
import { pushDownFilter } from './capture-filter.js';
import { HelperClient, type HelperExit, type HelperStats } from './capture-helper-client.js';
import { ReverseDns } from './capture-reverse-dns.js';
import { CaptureSpill, CaptureStore } from './capture-store.js';
import { launchPlan, type LaunchPlan } from './helper-launcher.js';

export interface CaptureSessionOptions {
  /** Trace file written while capturing. */
  readonly output: string;
  /** Kernel-side filter (WindView rules, pid/comm); default: every class at INFO. */
  readonly filter?: CaptureFilter;
  /** A view-filter expression: its exact parts are pushed into `filter`, all of it applied before writing. */
  readonly expression?: string;
  readonly captureOptions?: CaptureOptions;
  /** Reverse lookups of captured addresses (timeouts, one try); default off. */
  readonly reverseDns?: boolean;
  /** Keep the decoded batches in `store` (the UI); false streams to the file only (the CLI). Default true. */
  readonly retainEvents?: boolean;
  /** Longest time a decoded row waits before its batch is sealed and written (ms); default 250. */
  readonly flushIntervalMs?: number;
  /** How to start the helper; default from this process's privileges (helper-launcher.ts). */
  readonly launch?: LaunchPlan;
}

export type SessionState = 'running' | 'paused' | 'helper-lost' | 'stopped';

export interface CaptureGap {
  /** Boot-time ns (the records' clock) when the helper was found gone, and when capture resumed. */
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly reason: string;
}

export interface SessionStats {
  readonly state: SessionState;
  /** Records the helper(s) delivered, and the kernel reported lost (ring buffer full). */
  readonly records: number;
  readonly lost: number;
  /** Rows written to the trace file, and rows the expression dropped. */
  readonly written: number;
  readonly filteredOut: number;
  readonly fileBytes: number;
  readonly gaps: number;
}

export type SessionEvent =
  | { readonly type: 'stats'; readonly stats: SessionStats }
  | { readonly type: 'helper-lost'; readonly message: string; readonly atNs: bigint }
  | { readonly type: 'resumed'; readonly gap: CaptureGap };

const EV_CAPTURE_LOST = eventIndex('capture.lost');
const FLUSH_MS = 250;

export class CaptureSession {
  readonly store: CaptureStore;
  /** The kernel-side filter actually used (the expression's pushed terms folded in). */
  readonly kernelFilter: CaptureFilter;
  readonly pushed: readonly string[];
  private readonly spill: CaptureSpill;
  private readonly dns: CaptureDns;
  private readonly reverse: ReverseDns | undefined;
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  private readonly gaps: CaptureGap[] = [];
  private helper: HelperClient | undefined;
  private decoder: RecordDecoder | undefined;
  private early: Uint8Array[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private lostAt: { atNs: bigint; reason: string } | undefined;
  /** The restart of a lost helper under way: resume() called again meanwhile waits for it. */
  private restarting: Promise<void> | undefined;
  private pausedAt: bigint | undefined;
  private current: HelperStats | undefined;
  private finished = { records: 0, lost: 0 };
  private _state: SessionState = 'running';
  private readonly plan: LaunchPlan;

  private constructor(private readonly options: CaptureSessionOptions) {
    this.plan = options.launch ?? launchPlan();
    const compiled = options.expression !== undefined ? compileFilter(options.expression) : undefined;
    const { filter, pushed } = pushDownFilter(options.filter ?? {}, compiled?.root);
    nativeConfig(filter); // throws TypeError naming a bad option before anything starts
    this.kernelFilter = filter;
    this.pushed = pushed;
    this.spill = new CaptureSpill(options.output);
    this.store = new CaptureStore(compiled?.root, options.retainEvents ?? true, (batch) => this.written(batch));
    this.dns = new CaptureDns(this.store);
    this.reverse = options.reverseDns ? new ReverseDns(this.store) : undefined;
  }

  /** Starts the helper and the capture; the trace file exists (with its metadata) when this resolves. */
  static async start(options: CaptureSessionOptions): Promise<CaptureSession> {
    const session = new CaptureSession(options);
    try {
      const info = await session.startHelper();
      session.describe(info);
      session.spill.begin(session.store);
      session.flushTimer = setInterval(() => session.flush(), options.flushIntervalMs ?? FLUSH_MS);
    } catch (e) {
      session._state = 'stopped';
      await session.helper?.close(500);
      session.spill.discard();
      throw e;
    }
    return session;
  }

  get state(): SessionState {
    return this._state;
  }

  /** Pid of the running helper (tests and diagnostics). */
  get helperPid(): number | undefined {
    return this.helper?.alive ? this.helper.pid : undefined;
  }

  /** Listens to stats, helper loss and resumption; returns an unsubscribe. */
  onEvent(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): SessionStats {
    return {
      state: this._state,
      records: this.finished.records + (this.current?.records ?? 0),
      lost: this.finished.lost + (this.current?.lost ?? 0),
      written: this.store.written,
      filteredOut: this.store.filteredOut,
      fileBytes: this.spill.bytes,
      gaps: this.gaps.length,
    };
  }

  async pause(): Promise<void> {
    this.require('running', 'pause');
    await this.helper!.request({ cmd: 'pause' });
    this.pausedAt = bootTimeNs();
    this._state = 'paused';
  }

  /** Resumes a paused capture, or restarts the helper after it was lost (marking the gap). */
  async resume(): Promise<void> {
    if (this._state === 'paused') {
      await this.helper!.request({ cmd: 'resume' });
      // The pause is a gap like a lost helper's: marked in the trace (source `pause`) and in meta.
      const gap: CaptureGap = { startNs: this.pausedAt ?? bootTimeNs(), endNs: bootTimeNs(), reason: 'paused' };
      this.gaps.push(gap);
      this.markGap(gap, 'pause');
      this._state = 'running';
      return;
    }
    if (this.restarting) return this.restarting;
    this.require('helper-lost', 'resume');
    this.restarting = this.restart().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  /** Starts a new helper after one was lost; the gap runs from the first loss to now. */
  private async restart(): Promise<void> {
    const lost = this.lostAt!;
    await this.startHelper();
    const gap: CaptureGap = { startNs: lost.atNs, endNs: bootTimeNs(), reason: lost.reason };
    this.gaps.push(gap);
    this.markGap(gap);
    this.lostAt = undefined;
    this._state = 'running';
    this.emit({ type: 'resumed', gap });
  }

  /** Changes the kernel-side filter while capturing (the expression, if any, stays as it was). */
  async reconfigure(filter: CaptureFilter): Promise<void> {
    nativeConfig(filter);
    if (this._state === 'running' || this._state === 'paused') await this.helper!.request({ cmd: 'reconfigure', filter });
    (this as { kernelFilter: CaptureFilter }).kernelFilter = filter;
    this.store.meta.extra.capture_filter = filter;
  }

  /** Stops the capture and completes the file (closing metadata with loss totals and gaps). */
  async stop(): Promise<SessionStats> {
    if (this._state === 'stopped') return this.stats();
    const helper = this.helper;
    if (helper?.alive) {
      try {
        const final = await helper.request<HelperStats>({ cmd: 'stop' });
        this.current = { ...final, paused: false };
      } catch {
        // it died while stopping: its exit handler has already kept what arrived
      }
      await helper.close();
    }
    this._state = 'stopped';
    clearInterval(this.flushTimer);
    this.flush();
    this.reverse?.close();
    const stats = this.stats();
    this.store.meta.extra.capture_stats = { records: stats.records, lost: stats.lost, written: stats.written, filtered_out: stats.filteredOut };
    this.store.meta.extra.gaps = this.gaps.map((g) => ({ start_ns: g.startNs.toString(), end_ns: g.endNs.toString(), reason: g.reason }));
    // Lost and never resumed: the capture ended there.
    if (this.lostAt) this.store.meta.extra.ended_early = { at_ns: this.lostAt.atNs.toString(), reason: this.lostAt.reason };
    this.spill.end();
    return stats;
  }

  private async startHelper(): Promise<StartInfo> {
    if (this.current) this.finished = { records: this.finished.records + this.current.records, lost: this.finished.lost + this.current.lost };
    this.current = undefined;
    this.decoder = undefined;
    this.early = [];
    const helper = new HelperClient(
      {
        onFrame: (frame) => this.frame(frame),
        onStats: (stats) => {
          this.current = stats;
          this.emit({ type: 'stats', stats: this.stats() });
        },
        onExit: (exit) => this.helperExited(helper, exit),
      },
      this.plan,
    );
    this.helper = helper;
    const info = await helper.request<StartInfo>({ cmd: 'start', filter: this.kernelFilter, options: this.options.captureOptions ?? {} });
    this.decoder = new RecordDecoder(this.store, { sourceNames: info.sources, dropReasonNames: info.dropReasons, onDnsPayload: this.dns.onPayload });
    for (const frame of this.early.splice(0)) this.frame(frame);
    return info;
  }

  private frame(frame: Uint8Array): void {
    if (!this.decoder) {
      this.early.push(frame.slice()); // the helper client reuses the bytes of the frames it hands out
      return;
    }
    this.decoder.decodeAll(frame);
  }

  /** Seals the rows decoded so far: they are written to the file by CaptureStore's callback. */
  private flush(): void {
    this.decoder?.flush();
    this.reverse?.scan();
  }

  private written(batch: EventBatch): void {
    this.spill.writeBatch(batch);
  }

  private helperExited(helper: HelperClient, exit: HelperExit): void {
    if (helper !== this.helper || exit.expected || this._state === 'stopped') return;
    this.flush(); // every record received is in the file before anything else happens
    // a restart's helper died while starting: resume() rejects, and the gap still starts at the first loss
    if (this._state === 'helper-lost') return;
    const atNs = bootTimeNs();
    const how = exit.signal ? `killed by ${exit.signal}` : `exited with status ${exit.code}`;
    const reason = `capture helper ${how}${exit.stderr ? `: ${exit.stderr.split('\n').pop()}` : ''}`;
    this.lostAt = { atNs, reason };
    this._state = 'helper-lost';
    this.emit({ type: 'helper-lost', message: reason, atNs });
  }

  /** A capture.lost row (no count: unknown) at the gap's start, kept whatever the expression. */
  private markGap(gap: CaptureGap, source = 'helper'): void {
    const b = this.store.builder(this.store.baseNs ?? gap.startNs, 1);
    const row = b.addRow(Number(gap.startNs - b.baseNs), EV_CAPTURE_LOST);
    b.setString('source', row, source);
    b.col('latency_ns').set(row, Number(gap.endNs - gap.startNs));
    this.store.appendUnfiltered(b.finish()!);
  }

  /** The trace's metadata: clock, host, kernel, capture settings and the probes in use. */
  private describe(info: StartInfo): void {
    const meta = this.store.meta;
    meta.wallOffsetNs = wallOffsetNs();
    meta.host = hostname();
    meta.kernel = release();
    meta.sources.push({ kind: 'capture', name: hostname() });
    meta.extra.capture_filter = this.kernelFilter;
    if (this.options.expression !== undefined) meta.extra.capture_expression = this.options.expression;
    meta.extra.capture_pushed = this.pushed;
    meta.extra.capture_options = this.options.captureOptions ?? {};
    meta.extra.capture_probes = info.attached;
    // the running kernel's TCP state names (its BTF), by number: what state_old/state_new are shown as
    meta.extra.tcp_states = info.tcpStates;
    if (info.attachErrors.length > 0) meta.extra.capture_attach_errors = info.attachErrors;
    if (info.refused.length > 0) meta.extra.capture_refused = info.refused;
    meta.extra.reverse_dns = this.options.reverseDns ?? false;
  }

  private require(state: SessionState, action: string): void {
    if (this._state !== state) throw new Error(`cannot ${action} a capture that is ${this._state}`);
  }

  private emit(e: SessionEvent): void {
    for (const l of this.listeners) l(e);
  }
}
