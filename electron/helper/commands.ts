/**
 * The helper's command language: one JSON object per line on stdin, checked against a strict
 * schema before anything runs. Anything else — bad JSON, unknown commands, unknown or mistyped
 * keys, oversized lines — is refused with a reason; the helper never guesses.
 */
import type { CaptureOptions } from '../native/capture-addon.js';
import type { CaptureFilter, PortRule } from '../native/capture-config.js';

export type HelperCommand =
  | { id: number; cmd: 'probe' }
  | { id: number; cmd: 'start'; filter: CaptureFilter; options: CaptureOptions }
  | { id: number; cmd: 'reconfigure'; filter: CaptureFilter }
  | { id: number; cmd: 'pause' }
  | { id: number; cmd: 'resume' }
  | { id: number; cmd: 'stop' };

/** Longest command line accepted, bytes. */
export const MAX_COMMAND_BYTES = 64 * 1024;

export class CommandError extends Error {
  constructor(
    message: string,
    /** The command's id when it could be read, so the reply can name it. */
    readonly id: number | null,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Check = (v: Json, path: string) => void;

function isObject(v: Json): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str =
  (max: number, pattern?: RegExp): Check =>
  (v, path) => {
    if (typeof v !== 'string' || v.length === 0 || v.length > max || (pattern && !pattern.test(v))) throw new Error(`${path}: expected a string${pattern ? ` matching ${pattern}` : ''} of 1-${max} characters`);
  };
const int =
  (min: number, max: number): Check =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${path}: expected an integer from ${min} to ${max}`);
  };
const oneOf =
  (...values: string[]): Check =>
  (v, path) => {
    if (typeof v !== 'string' || !values.includes(v)) throw new Error(`${path}: expected one of ${values.join(', ')}`);
  };
const either =
  (a: Check, b: Check): Check =>
  (v, path) => {
    try {
      a(v, path);
    } catch {
      b(v, path);
    }
  };
const list =
  (item: Check, max: number): Check =>
  (v, path) => {
    if (!Array.isArray(v) || v.length > max) throw new Error(`${path}: expected a list of at most ${max} items`);
    v.forEach((x, i) => item(x, `${path}[${i}]`));
  };
const object =
  (fields: Record<string, Check>, required: readonly string[] = []): Check =>
  (v, path) => {
    if (!isObject(v)) throw new Error(`${path}: expected an object`);
    // own keys only: `in` would find "toString", "constructor", "__proto__"… on the prototype and let them through unchecked
    for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) throw new Error(`${path}: unknown key ${JSON.stringify(k)}`);
    for (const k of required) if (!Object.hasOwn(v, k)) throw new Error(`${path}: "${k}" is required`);
    for (const [k, check] of Object.entries(fields)) if (Object.hasOwn(v, k)) check(v[k]!, `${path}.${k}`);
  };

/** A power of two from `min` to `max`. */
const powerOfTwo =
  (min: number, max: number): Check =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max || (v & (v - 1)) !== 0) throw new Error(`${path}: expected a power of two from ${min} to ${max}`);
  };
/** A comm: what the kernel keeps of a task name, 1-15 bytes of UTF-8 (a longer one never matches). */
const comm: Check = (v, path) => {
  if (typeof v !== 'string' || v.length === 0 || Buffer.byteLength(v) > 15 || v.includes('\0')) throw new Error(`${path}: expected a name of 1-15 bytes`);
};
/** A directory of the cgroup v2 tree: /sys/fs/cgroup or below it, without ".", ".." or empty parts that could lead out. */
const cgroupPath: Check = (v, path) => {
  const parts = typeof v === 'string' && v.length <= 4096 && !v.includes('\0') ? v.split('/') : [];
  const [root, sys, fs, cgroup, ...below] = parts;
  const ok = root === '' && sys === 'sys' && fs === 'fs' && cgroup === 'cgroup' && below.every((p, i) => (p !== '' || i === below.length - 1) && p !== '.' && p !== '..');
  if (!ok) throw new Error(`${path}: expected /sys/fs/cgroup or a directory below it, without "." or ".." parts`);
};

const EVENT_ID = str(40, /^[a-z]+\.[a-z_0-9]+$/);
const rule = (extra: Record<string, Check>, required: string[]): Check =>
  object({ type: oneOf('src', 'dst'), direction: oneOf('in', 'out', 'both'), ...extra }, ['type', 'direction', ...required]);

const FILTER = object({
  classes: list(oneOf('core', 'aux'), 2),
  priority: either(int(1, 8), oneOf('EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'VERBOSE')),
  enable: list(EVENT_ID, 256),
  disable: list(EVENT_ID, 256),
  addrs: list(rule({ cidr: str(50, /^[0-9a-fA-F.:]+(\/\d{1,3})?$/) }, ['cidr']), 16),
  ports: list(rule({ from: int(0, 65535), to: int(0, 65535) }, ['from']), 16),
  pids: list(int(1, 0x3fffffff), 1024),
  comms: list(comm, 256),
  probeEvery: int(1, 1_000_000),
});

const OPTIONS = object({
  ringBufferBytes: powerOfTwo(4096, 1 << 28),
  drainIntervalMs: int(1, 1000),
  maxFrameBytes: int(4096, 64 << 20),
  maxFramesInFlight: int(1, 4096),
  cgroupPath,
  avoidKinds: list(oneOf('fexit', 'kprobe', 'tp_btf', 'raw_tp', 'tracepoint', 'cgroup_skb', 'cgroup_sock'), 7),
});

const ID = int(0, Number.MAX_SAFE_INTEGER);
const COMMANDS: Record<HelperCommand['cmd'], Check> = {
  probe: object({ id: ID, cmd: oneOf('probe') }, ['id', 'cmd']),
  start: object({ id: ID, cmd: oneOf('start'), filter: FILTER, options: OPTIONS }, ['id', 'cmd', 'filter']),
  reconfigure: object({ id: ID, cmd: oneOf('reconfigure'), filter: FILTER }, ['id', 'cmd', 'filter']),
  pause: object({ id: ID, cmd: oneOf('pause') }, ['id', 'cmd']),
  resume: object({ id: ID, cmd: oneOf('resume') }, ['id', 'cmd']),
  stop: object({ id: ID, cmd: oneOf('stop') }, ['id', 'cmd']),
};

/** Parses and validates one command line; throws CommandError with the reason. */
export function parseCommand(line: string): HelperCommand {
  if (Buffer.byteLength(line) > MAX_COMMAND_BYTES) throw new CommandError(`command longer than ${MAX_COMMAND_BYTES} bytes`, null);
  let v: Json;
  try {
    v = JSON.parse(line) as Json;
  } catch {
    throw new CommandError('not a JSON object', null);
  }
  if (!isObject(v)) throw new CommandError('not a JSON object', null);
  const id = typeof v.id === 'number' && Number.isSafeInteger(v.id) && v.id >= 0 ? v.id : null;
  const name = v.cmd;
  if (typeof name !== 'string' || !Object.hasOwn(COMMANDS, name)) {
    throw new CommandError(`unknown command ${JSON.stringify(name ?? null)} (${Object.keys(COMMANDS).join(', ')})`, id);
  }
  try {
    COMMANDS[name as HelperCommand['cmd']]!(v, 'command');
  } catch (e) {
    throw new CommandError((e as Error).message, id);
  }
  const cmd = v as unknown as HelperCommand;
  if (cmd.cmd === 'start' && !('options' in cmd)) (cmd as { options: CaptureOptions }).options = {};
  if ((cmd.cmd === 'start' || cmd.cmd === 'reconfigure') && cmd.filter.ports) {
    for (const p of cmd.filter.ports as PortRule[]) if (p.to !== undefined && p.to < p.from) throw new CommandError('command.filter.ports: "to" below "from"', id);
  }
  return cmd;
}
