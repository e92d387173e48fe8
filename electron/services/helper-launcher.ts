/**
 * How the privileged capture helper is started: directly when this process already holds what
 * the helper needs (root, or CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN, e.g. from `setcap` on node),
 * else through `pkexec` (polkit asks the user; build/org.wireview.helper.policy names the action),
 * else `sudo -n` (only when sudo lets us in without a password). With none of them: a one-line
 * message that says how to grant the privileges.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The compiled helper entry (dist/electron/helper/helper.js). */
export const HELPER_ENTRY = fileURLToPath(new URL('../helper/helper.js', import.meta.url));

/** Linux capability numbers (linux/capability.h). */
const CAP_NET_ADMIN = 12;
const CAP_PERFMON = 38;
const CAP_BPF = 39;

export const GRANT_HINT =
  'live capture needs privileges: run as root, or `sudo setcap cap_bpf,cap_perfmon,cap_net_admin+ep "$(command -v node)"`, ' +
  'or install build/org.wireview.helper.policy into /usr/share/polkit-1/actions/ and have pkexec';

export type LaunchMode = 'direct' | 'pkexec' | 'sudo';

export interface LaunchPlan {
  readonly mode: LaunchMode;
  readonly command: string;
  readonly args: readonly string[];
}

/** Thrown when no way to start the helper exists; the message is one line for the user. */
export class HelperLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperLaunchError';
  }
}

/** Effective capability set of this process (CapEff of /proc/self/status), or 0n when unreadable. */
export function effectiveCapabilities(status = '/proc/self/status'): bigint {
  try {
    const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(status, 'utf8'));
    return line ? BigInt(`0x${line[1]}`) : 0n;
  } catch {
    return 0n;
  }
}

/** True when this process can run the helper itself. */
export function hasCapturePrivileges(caps = effectiveCapabilities(), uid = process.geteuid?.() ?? -1): boolean {
  if (uid === 0) return true;
  const needed = (1n << BigInt(CAP_BPF)) | (1n << BigInt(CAP_PERFMON)) | (1n << BigInt(CAP_NET_ADMIN));
  return (caps & needed) === needed;
}

/** Absolute path of an executable on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface PlanInputs {
  readonly privileged: boolean;
  readonly pkexec: string | undefined;
  readonly sudo: string | undefined;
  /** A desktop session where polkit can ask (pkexec without one only fails). */
  readonly canAsk: boolean;
}

function currentInputs(): PlanInputs {
  return {
    privileged: hasCapturePrivileges(),
    pkexec: findOnPath('pkexec'),
    sudo: findOnPath('sudo'),
    canAsk: Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.stdin.isTTY),
  };
}

/** The way the helper will be started here; throws HelperLaunchError when there is none. */
export function launchPlan(inputs: PlanInputs = currentInputs(), entry = HELPER_ENTRY): LaunchPlan {
  const node = process.execPath;
  if (inputs.privileged) return { mode: 'direct', command: node, args: [entry] };
  if (inputs.pkexec && inputs.canAsk) return { mode: 'pkexec', command: inputs.pkexec, args: [node, entry] };
  if (inputs.sudo) return { mode: 'sudo', command: inputs.sudo, args: ['-n', node, entry] };
  throw new HelperLaunchError(GRANT_HINT);
}

export type HelperProcess = ChildProcessByStdio<Writable, null, Readable>;

/** Bytes per read of the helper's stdout (the helper enlarges its pipe to 1 MiB: helper-main.ts). */
const STDOUT_READ_BYTES = 1 << 20;

/**
 * Starts the helper as planned: stdin takes commands, stdout gives framed messages (to `onStdout`),
 * stderr its diagnostics. A capture streams tens of MB/s through stdout: it is read into one buffer
 * reused from read to read (the chunk passed to `onStdout` is valid only during the call), not into
 * a new 64 KiB buffer per read whose garbage cost the CLI ~18% of its CPU. That needs a pipe of our
 * own (a FIFO opened on both ends, then unlinked); where one cannot be made, a plain stdio pipe.
 */
export function launchHelper(plan: LaunchPlan, onStdout: (chunk: Uint8Array) => void): HelperProcess {
  const fifo = ownPipe();
  if (!fifo) {
    const child = spawn(plan.command, [...plan.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => onStdout(chunk));
    return child as unknown as HelperProcess;
  }
  let child: HelperProcess;
  try {
    child = spawn(plan.command, [...plan.args], { stdio: ['pipe', fifo.writeFd, 'pipe'] }) as unknown as HelperProcess;
  } catch (e) {
    closeSync(fifo.readFd);
    throw e;
  } finally {
    closeSync(fifo.writeFd); // the child has its own copy: the read end sees EOF when it exits
  }
  const buffer = Buffer.allocUnsafe(STDOUT_READ_BYTES);
  // Node reads a stream socket into `onread.buffer` when given one (its typings only know the option for connect())
  const options: SocketConstructorOpts & { onread: OnReadOpts } = {
    fd: fifo.readFd,
    readable: true,
    writable: false,
    onread: {
      buffer,
      callback: (n: number) => {
        onStdout(new Uint8Array(buffer.buffer, buffer.byteOffset, n));
        return true; // keep reading
      },
    },
  };
  // closes itself at EOF, once the child (and any copy of its stdout) is gone
  new Socket(options).on('error', () => undefined); // the child's exit event reports what went wrong
  return child;
}

/** Both ends of a new FIFO (unlinked at once, so only this process and the child hold it), or undefined. */
function ownPipe(): { readFd: number; writeFd: number } | undefined {
  let dir: string | undefined;
  let readFd: number | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'wireview-helper-'));
    const path = join(dir, 'stdout');
    if (spawnSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' }).status !== 0) return undefined;
    readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(path, constants.O_WRONLY);
    return { readFd, writeFd };
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    return undefined;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
