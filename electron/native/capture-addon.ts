/**
 * The typed face of native/ (wireview_capture.node): loads the addon, validates every option
 * before it crosses into C++, and wraps a live capture. Runs in the privileged helper only.
 *
 * Threading: the addon drains the ring buffers (one per CPU) on its own thread; `onFrame` is called on the JS
 * thread with one framed batch (records.h: wv_frame_hdr + records) that `RecordDecoder` reads.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nativeConfig, type CaptureFilter, type NativeConfig } from './capture-config.js';

export interface CaptureOptions {
  /**
   * Size of each CPU's ring buffer (the programs write to the ring of the CPU they run on): a
   * power of two from 4096 (one page) to 256 MiB, and 1 GiB for all the CPUs online together;
   * default 16 MiB shared out among the CPUs online, a power of two from 512 KiB to 4 MiB each.
   */
  readonly ringBufferBytes?: number;
  /** How long the reader sleeps between drains (ms, 1–1000; none after a drain that found a ring a sixteenth full); default 5. */
  readonly drainIntervalMs?: number;
  /** Largest frame handed to JS (bytes, 4 KiB–64 MiB); default 1 MiB. */
  readonly maxFrameBytes?: number;
  /** Frames queued for JS before the reader stops draining (the kernel then counts losses); default 64. */
  readonly maxFramesInFlight?: number;
  /** cgroup v2 directory whose sockets' packets are captured; default the root of the hierarchy. */
  readonly cgroupPath?: string;
  /**
   * `onFrame` is done with each frame when it returns (writes it and keeps no reference): the
   * frame's buffer is then detached (read as empty from then on) and its bytes freed at once,
   * instead of when the buffer is collected. Default false.
   */
  readonly lendFrames?: boolean;
  /** Probe kinds not to use even where the kernel offers them (to exercise the fallbacks). */
  readonly avoidKinds?: readonly ProbeKind[];
}

export const PROBE_KINDS = ['fexit', 'kprobe', 'tp_btf', 'raw_tp', 'tracepoint', 'cgroup_skb', 'cgroup_sock'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export interface FeatureState {
  readonly ok: boolean;
  readonly why?: string;
}

export interface ProbeReport {
  readonly features: Readonly<Record<'btf' | 'ringbuf' | 'fentry' | 'kprobe' | 'tp_btf' | 'raw_tp' | 'tracepoint' | 'cgroup_skb' | 'cgroup_sock', FeatureState>>;
  /** One entry per catalog event: the sources that would serve it, or why none. */
  readonly events: readonly { id: string; wire: number; sources: string[]; helpers: string[]; why?: string }[];
  /** With `load`: tiers this kernel's verifier refused ("label: reason"); their groups use the next tier. */
  readonly refused: string[];
}

export interface KernelNames {
  /** enum skb_drop_reason names without SKB_DROP_REASON_, index = this kernel's number */
  readonly dropReasons: string[];
  /** TCP state names without TCP_, index = state number */
  readonly tcpStates: string[];
}

export interface StartInfo extends KernelNames {
  /** Probe names, index = wv_hdr.source (RecordDecodeOptions.sourceNames). */
  readonly sources: string[];
  /** Labels of the probes attached so far. */
  readonly attached: string[];
  /** Probes the plan chose that would not attach (their events are missing; the rest runs). */
  readonly attachErrors: string[];
  /** Tiers this kernel's verifier refused at load ("label: reason"); their groups use the next tier. */
  readonly refused: string[];
}

export interface CaptureStats {
  readonly records: number;
  readonly lost: number;
  readonly frames: number;
  readonly bytes: number;
  /** Records read, by catalog id. */
  readonly events: Readonly<Record<string, number>>;
  /** Records read, by the probe that made them (the labels of `StartInfo.sources`). */
  readonly sources: Readonly<Record<string, number>>;
}

interface NativeCapture {
  start(config: NativeConfig): StartInfo;
  reconfigure(config: NativeConfig): string[];
  stats(): CaptureStats;
  stop(): Promise<void>;
}

interface Addon {
  probe(options?: { load?: boolean }): ProbeReport;
  kernelNames(): KernelNames;
  setPipeSize(fd: number, bytes: number): number;
  Capture: new (options: CaptureOptions, onFrame: (frame: Uint8Array) => void) => NativeCapture;
}

/** Where `npm run build:native` puts the addon. */
export const ADDON_PATH = fileURLToPath(new URL('../../../native/build/Release/wireview_capture.node', import.meta.url));

let addon: Addon | undefined;

/** The addon, loaded once; throws an Error that says how to build it when it is missing. */
export function loadAddon(): Addon {
  if (addon) return addon;
  if (!existsSync(ADDON_PATH)) {
    throw new Error(`the capture addon is not built (${ADDON_PATH}): run \`npm run build:bpf && npm run build:native\``);
  }
  addon = createRequire(import.meta.url)(ADDON_PATH) as Addon;
  return addon;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new TypeError(message);
}

/** Validates the options of a capture (the messages name the option and what it must be). */
export function validateOptions(options: CaptureOptions): CaptureOptions {
  const { ringBufferBytes: ring, drainIntervalMs: drain, maxFrameBytes: frame, maxFramesInFlight: queue, cgroupPath } = options;
  if (ring !== undefined) {
    check(Number.isInteger(ring) && ring > 0 && (ring & (ring - 1)) === 0, 'Expected "ringBufferBytes" to be a power of two');
    check(ring >= 4096 && ring <= 2 ** 28, 'Expected "ringBufferBytes" to be from 4096 to 268435456 (per CPU)');
  }
  if (drain !== undefined) check(Number.isInteger(drain) && drain >= 1 && drain <= 1000, 'Expected "drainIntervalMs" to be an integer from 1 to 1000');
  if (frame !== undefined) check(Number.isInteger(frame) && frame >= 4096 && frame <= 2 ** 26, 'Expected "maxFrameBytes" to be an integer from 4096 to 67108864');
  if (queue !== undefined) check(Number.isInteger(queue) && queue >= 1 && queue <= 4096, 'Expected "maxFramesInFlight" to be an integer from 1 to 4096');
  if (options.lendFrames !== undefined) check(typeof options.lendFrames === 'boolean', 'Expected "lendFrames" to be true or false');
  if (cgroupPath !== undefined) check(typeof cgroupPath === 'string' && cgroupPath.startsWith('/'), 'Expected "cgroupPath" to be an absolute path');
  for (const kind of options.avoidKinds ?? []) check(PROBE_KINDS.includes(kind), `Expected "avoidKinds" to hold ${PROBE_KINDS.join(', ')}`);
  return options;
}

/**
 * Which source each event would use on this kernel, or why none (needs root for the load tests).
 * `load` also loads the programs (without attaching them), so that tiers the kernel's verifier
 * refuses are reported with the fallback a capture would use: slower, for `capture --probe`.
 */
export function probe(options: { load?: boolean } = {}): ProbeReport {
  return loadAddon().probe(options);
}

/** Drop-reason and TCP-state names of the running kernel. */
export function kernelNames(): KernelNames {
  return loadAddon().kernelNames();
}

/** Resizes the pipe `fd` (F_SETPIPE_SZ): its new size in bytes, or -errno (not a pipe, above the limit). */
export function setPipeSize(fd: number, bytes: number): number {
  return loadAddon().setPipeSize(fd, bytes);
}

/** A running capture. Create with `LiveCapture.start`; end with `stop()`. */
export class LiveCapture {
  private constructor(
    private readonly native: NativeCapture,
    /** Probe and kernel names, for RecordDecodeOptions. */
    readonly info: StartInfo,
  ) {}

  /** Loads, configures and attaches; frames start arriving on `onFrame` within `drainIntervalMs`. */
  static start(options: CaptureOptions, filter: CaptureFilter, onFrame: (frame: Uint8Array) => void): LiveCapture {
    const config = nativeConfig(filter);
    const native = new (loadAddon().Capture)(validateOptions(options), onFrame);
    return new LiveCapture(native, native.start(config));
  }

  /**
   * Changes the filter while running, attaching the probes newly enabled events need; returns
   * why any of those could not be attached (empty when all were).
   */
  reconfigure(filter: CaptureFilter): string[] {
    return this.native.reconfigure(nativeConfig(filter));
  }

  stats(): CaptureStats {
    return this.native.stats();
  }

  /** Detaches; resolves after the last frame has been passed to `onFrame`. */
  stop(): Promise<void> {
    return this.native.stop();
  }
}
