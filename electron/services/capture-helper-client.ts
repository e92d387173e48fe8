/**
 * The unprivileged side of the helper's pipe: sends commands (one JSON line each, with an id),
 * matches replies to them, passes record frames and stats on, and reports the helper's exit —
 * at once, from the child's own exit event, with whatever it wrote on stderr last.
 */
import type { CaptureStats } from '../native/capture-addon.js';
import { MessageReader } from '../helper/framing.js';
import { HelperLaunchError, launchHelper, launchPlan, GRANT_HINT, type HelperProcess, type LaunchPlan } from './helper-launcher.js';

/** Commands as the client sends them (the helper checks them against its schema again). */
export type ClientCommand =
  | { cmd: 'probe' | 'pause' | 'resume' | 'stop' }
  | { cmd: 'start'; filter: object; options: object }
  | { cmd: 'reconfigure'; filter: object };

export interface HelperStats extends CaptureStats {
  readonly paused: boolean;
}

export interface HelperExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines the helper wrote on stderr (why it failed, when it says). */
  readonly stderr: string;
  /** True when the exit was asked for (stop/close). */
  readonly expected: boolean;
}

export interface HelperClientEvents {
  /** One record frame; its bytes are valid only during the call (copy what is kept). */
  onFrame(frame: Uint8Array): void;
  onStats?(stats: HelperStats): void;
  onExit?(exit: HelperExit): void;
}

const STDERR_KEEP = 4096;

export class HelperClient {
  private readonly child: HelperProcess;
  // Frames are decoded at once and never kept (CaptureSession copies those that arrive before it can decode).
  private readonly reader = new MessageReader({ transient: true });
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stderr = '';
  private closing = false;
  private exitInfo: HelperExit | undefined;
  /** Resolves when the helper process has exited. */
  readonly exited: Promise<HelperExit>;

  constructor(
    private readonly events: HelperClientEvents,
    readonly plan: LaunchPlan = launchPlan(),
  ) {
    this.child = launchHelper(plan, (chunk) => this.receive(chunk));
    this.child.stdin.on('error', () => undefined); // EPIPE after a crash: the exit event reports it
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-STDERR_KEEP);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (e) => this.finish({ code: null, signal: null, stderr: e.message, expected: false }, resolve));
      this.child.once('exit', (code, signal) => this.finish({ code, signal, stderr: this.stderr.trim(), expected: this.closing }, resolve));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Sends one command; resolves with its result, rejects with the helper's reason or its exit. */
  request<T = unknown>(command: ClientCommand): Promise<T> {
    if (this.exitInfo) return Promise.reject(new Error(describeExit(this.exitInfo, this.plan)));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  /** Ends the helper: closes its stdin (it stops any capture and exits), kills it after `graceMs`. */
  async close(graceMs = 3000): Promise<HelperExit> {
    this.closing = true;
    if (this.exitInfo) return this.exitInfo;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** One read of the helper's stdout, in a buffer the next read reuses: nothing here keeps a view of it. */
  private receive(chunk: Uint8Array): void {
    let messages;
    try {
      messages = this.reader.push(chunk);
    } catch (e) {
      // A corrupt stream cannot be resynchronised: end the helper, the exit is reported.
      this.stderr += `\n${(e as Error).message}`;
      this.child.kill('SIGKILL');
      return;
    }
    for (const m of messages) {
      if (m.kind === 1) {
        this.events.onFrame(m.frame);
        continue;
      }
      const json = m.json;
      if (json.type === 'stats') this.events.onStats?.(json as unknown as HelperStats);
      else if (json.type === 'reply' && typeof json.id === 'number') {
        const waiter = this.waiting.get(json.id);
        this.waiting.delete(json.id);
        if (json.ok === true) waiter?.resolve(json.result);
        else waiter?.reject(new Error(`helper: ${String(json.error)}`));
      }
    }
  }

  private finish(exit: HelperExit, resolve: (e: HelperExit) => void): void {
    if (this.exitInfo) return;
    this.exitInfo = exit;
    const error = new Error(describeExit(exit, this.plan));
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
    resolve(exit);
    this.events.onExit?.(exit);
  }
}

/** One line on why the helper went away, with how to grant privileges when that was the cause. */
export function describeExit(exit: HelperExit, plan: LaunchPlan): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
  const last = tellingLine(exit.stderr);
  const denied = plan.mode !== 'direct' && exit.code !== null && exit.code !== 0 && /password|not authorized|dismissed|127|126|permission/i.test(`${exit.stderr} ${exit.code}`);
  if (denied) return new HelperLaunchError(`the capture helper could not be started through ${plan.mode}: ${last ?? how}; ${GRANT_HINT}`).message;
  return `the capture helper ${how}${last ? `: ${last}` : ''}`;
}

/**
 * The stderr line that says why: an uncaught exception's message ("Error: …") rather than Node's
 * closing "Node.js v20…" or a stack frame; otherwise the last non-empty line.
 */
export function tellingLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Node\.js v\d/.test(l) && !l.startsWith('at '));
  const thrown = lines.filter((l) => /^(?:\w*Error|\w*Exception)\b.*:/.test(l)).pop();
  return thrown ?? lines.pop();
}
