import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASSES, PRIORITIES } from '../../renderer/engine/model/events.js';
import { PROBE_KINDS, type CaptureOptions } from '../native/capture-addon.js';
import type { AddressRule, CaptureFilter, FilterDirection, FilterType, PortRule } from '../native/capture-config.js';
import { CommandError, MAX_COMMAND_BYTES, parseCommand, type HelperCommand } from './commands.js';
import { mulberry32 as rng } from '../../test/support/rng.js';

const VALID = [
  '{"id":1,"cmd":"probe"}',
  '{"id":2,"cmd":"start","filter":{"classes":["core"],"priority":"INFO","enable":["tcp.probe"],"disable":["pkt.udp"],"addrs":[{"type":"dst","direction":"out","cidr":"127.0.0.0/8"}],"ports":[{"type":"dst","direction":"both","from":80,"to":90}],"pids":[42],"comms":["curl"]},"options":{"ringBufferBytes":65536}}',
  '{"id":3,"cmd":"reconfigure","filter":{"priority":5}}',
  '{"id":4,"cmd":"pause"}',
  '{"id":5,"cmd":"resume"}',
  '{"id":6,"cmd":"stop"}',
];

/** A start with every filter key and every option the helper takes, so that the field mutations reach them all. */
const FULL_START =
  '{"id":7,"cmd":"start","filter":{"classes":["core","aux"],"priority":8,"enable":["tcp.probe"],"disable":["pkt.udp"],"addrs":[{"type":"src","direction":"in","cidr":"::1"},{"type":"dst","direction":"both","cidr":"10.0.0.0/8"}],"ports":[{"type":"src","direction":"out","from":53}],"pids":[1,4242],"comms":["nginx"],"probeEvery":10},"options":{"ringBufferBytes":1048576,"drainIntervalMs":5,"maxFrameBytes":1048576,"maxFramesInFlight":64,"cgroupPath":"/sys/fs/cgroup/system.slice","avoidKinds":["fexit","cgroup_sock"]}}';

/** Seed of the fuzz tests below (WIREVIEW_FUZZ_SEED=n runs others); every failure names its seed and input. */
const SEED = Number(process.env.WIREVIEW_FUZZ_SEED ?? 0xc0de) >>> 0;

// ---------------------------------------------------------------------------------------------
// The command shapes as documented: HelperCommand (commands.ts), CaptureFilter and the rules
// (capture-config.ts), CaptureOptions (capture-addon.ts: its doc comments and validateOptions).
// The key sets are checked against those types by the compiler. This is a description to judge
// the parser's answers by, not a second parser: it holds no patterns and no list lengths.
// ---------------------------------------------------------------------------------------------

type Spec =
  /**
   * An integer from `min` to `max` (none documented: any safe integer). `pow2`: documented as a
   * power of two; the values the fuzzing makes in range are, but the check does not demand it (the
   * schema leaves that to validateOptions in capture-addon.ts).
   */
  | { readonly kind: 'int'; readonly min: number; readonly max: number | undefined; readonly pow2: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** A non-empty string whose form (CIDR, event id, comm, path) this description does not hold. */
  | { readonly kind: 'text' }
  | { readonly kind: 'either'; readonly a: Spec; readonly b: Spec }
  | { readonly kind: 'list'; readonly item: Spec }
  | {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, Spec>>;
      readonly required: readonly string[];
      /** A documented rule across fields; returns what is wrong. */
      readonly holds: ((v: Record<string, unknown>) => string | undefined) | undefined;
    };

const int = (min: number, max?: number, pow2 = false): Spec => ({ kind: 'int', min, max, pow2 });
const oneOf = (values: readonly string[]): Spec => ({ kind: 'enum', values });
const TEXT: Spec = { kind: 'text' };
const list = (item: Spec): Spec => ({ kind: 'list', item });
/** An object of `T`'s keys, each of them described (the compiler refuses a missing or extra one). */
const object = <T>(fields: { readonly [K in keyof T]-?: Spec }, required: readonly (keyof T & string)[], holds?: (v: Record<string, unknown>) => string | undefined): Spec => ({
  kind: 'object',
  fields: fields as Record<string, Spec>,
  required,
  holds,
});

const TYPES: Record<FilterType, true> = { src: true, dst: true };
const DIRECTIONS: Record<FilterDirection, true> = { in: true, out: true, both: true };
const RULE = { type: oneOf(Object.keys(TYPES)), direction: oneOf(Object.keys(DIRECTIONS)) };
const PORT = int(0, 65535);

const FILTER = object<CaptureFilter>({
  classes: list(oneOf(CLASSES)),
  priority: { kind: 'either', a: int(1, 8), b: oneOf(PRIORITIES) },
  enable: list(TEXT),
  disable: list(TEXT),
  addrs: list(object<AddressRule>({ ...RULE, cidr: TEXT }, ['type', 'direction', 'cidr'])),
  ports: list(
    object<PortRule>({ ...RULE, from: PORT, to: PORT }, ['type', 'direction', 'from'], (r) => (typeof r.to === 'number' && typeof r.from === 'number' && r.to < r.from ? '"to" below "from"' : undefined)),
  ),
  pids: list(int(1, 0x3fffffff)),
  comms: list(TEXT),
  probeEvery: int(1),
}, []);

/** `lendFrames` is the helper's own choice (helper-main.ts), not the caller's: no key on the wire. */
const OPTIONS = object<Omit<CaptureOptions, 'lendFrames'>>({
  ringBufferBytes: int(4096, 2 ** 28, true),
  drainIntervalMs: int(1, 1000),
  maxFrameBytes: int(4096, 2 ** 26),
  maxFramesInFlight: int(1, 4096),
  cgroupPath: TEXT,
  avoidKinds: list(oneOf(PROBE_KINDS)),
}, []);

/** Ids are echoed in replies: non-negative integers that JSON carries exactly. */
const ID = int(0, Number.MAX_SAFE_INTEGER);
type Shape<C extends HelperCommand['cmd']> = Extract<HelperCommand, { cmd: C }>;
const COMMANDS: { readonly [C in HelperCommand['cmd']]: Spec } = {
  probe: object<Shape<'probe'>>({ id: ID, cmd: oneOf(['probe']) }, ['id', 'cmd']),
  start: object<Shape<'start'>>({ id: ID, cmd: oneOf(['start']), filter: FILTER, options: OPTIONS }, ['id', 'cmd', 'filter']),
  reconfigure: object<Shape<'reconfigure'>>({ id: ID, cmd: oneOf(['reconfigure']), filter: FILTER }, ['id', 'cmd', 'filter']),
  pause: object<Shape<'pause'>>({ id: ID, cmd: oneOf(['pause']) }, ['id', 'cmd']),
  resume: object<Shape<'resume'>>({ id: ID, cmd: oneOf(['resume']) }, ['id', 'cmd']),
  stop: object<Shape<'stop'>>({ id: ID, cmd: oneOf(['stop']) }, ['id', 'cmd']),
};
const CMD_NAMES = Object.keys(COMMANDS);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What in `v` breaks the documented shape `spec` (path and reason), or undefined. */
function flaw(v: unknown, spec: Spec, path: string): string | undefined {
  switch (spec.kind) {
    case 'int':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= spec.min && v <= (spec.max ?? Infinity) ? undefined : `${path} = ${String(v)}, not an integer from ${spec.min} to ${spec.max ?? 'any'}`;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? undefined : `${path} = ${JSON.stringify(v)}, not one of ${spec.values.join(', ')}`;
    case 'text':
      return typeof v === 'string' && v.length > 0 ? undefined : `${path} = ${JSON.stringify(v)}, not a non-empty string`;
    case 'either': {
      const a = flaw(v, spec.a, path);
      return a && flaw(v, spec.b, path) ? a : undefined;
    }
    case 'list':
      if (!Array.isArray(v)) return `${path} is not a list`;
      for (let i = 0; i < v.length; i++) {
        const f = flaw(v[i], spec.item, `${path}[${i}]`);
        if (f) return f;
      }
      return undefined;
    case 'object': {
      if (!isObject(v)) return `${path} is not an object`;
      for (const k of Object.keys(v)) if (!Object.hasOwn(spec.fields, k)) return `${path} has the unknown key ${JSON.stringify(k)}`;
      for (const k of spec.required) if (!Object.hasOwn(v, k)) return `${path} lacks "${k}"`;
      for (const [k, x] of Object.entries(v)) {
        const f = flaw(x, spec.fields[k]!, `${path}.${k}`);
        if (f) return f;
      }
      const broken = spec.holds?.(v);
      return broken ? `${path}: ${broken}` : undefined;
    }
  }
}

/** What an accepted command breaks of the documented shapes (start also always has its options), or undefined. */
function commandFlaw(cmd: HelperCommand): string | undefined {
  const spec = Object.hasOwn(COMMANDS, cmd.cmd) ? COMMANDS[cmd.cmd] : undefined;
  if (!spec) return `unknown cmd ${JSON.stringify(cmd.cmd)}`;
  if (cmd.cmd === 'start' && !isObject(cmd.options)) return 'start without options';
  return flaw(cmd, spec, 'command');
}

/** An input for an assertion message: escaped, and cut short when long. */
function show(line: string): string {
  return line.length > 300 ? `${JSON.stringify(line.slice(0, 300))}… (${line.length} characters)` : JSON.stringify(line);
}

/** The error parseCommand(line) throws; fails (naming the seed and input) when it returns or throws anything else. */
function refusal(line: string, where: string): CommandError {
  let cmd: HelperCommand;
  try {
    cmd = parseCommand(line);
  } catch (e) {
    assert.ok(e instanceof CommandError, `${where}: threw ${(e as Error).stack} for ${show(line)}`);
    assert.doesNotMatch(e.message, /[\r\n]/, `${where}: a reason of more than one line for ${show(line)}`);
    return e;
  }
  assert.fail(`${where}: accepted ${show(line)} as ${show(JSON.stringify(cmd))}`);
}

// ---------------------------------------------------------------------------------------------
// Generators of things that are not part of the protocol.
// ---------------------------------------------------------------------------------------------

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const LOOKALIKES: Readonly<Record<string, string>> = { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', s: '\u0455', c: '\u0441', i: '\u0456' };

/** Strings a valid one could be mistaken for: case, padding, invisible characters, a letter more or less, a look-alike letter. */
function nearMisses(v: string): string[] {
  const look = [...v].findIndex((c) => LOOKALIKES[c]);
  return [
    v.toUpperCase(),
    v.toLowerCase(),
    v.charAt(0).toUpperCase() + v.slice(1),
    ` ${v}`,
    `${v} `,
    `${v}\t`,
    `${v}\n`,
    `${v}\u0000`,
    `\u200b${v}`,
    `${v}\ufeff`,
    `${v}\u00a0`,
    v.slice(0, -1),
    v.slice(1),
    `${v}s`,
    `${v}${v}`,
    `${v}.`,
    look >= 0 ? v.slice(0, look) + LOOKALIKES[v[look]!]! + v.slice(look + 1) : `${v}_`,
    '',
  ];
}

/** Names every object has through its prototype (and Function's): a lookup with `in` or `[]` finds them. */
const INHERITED = [...new Set([...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Function.prototype), 'prototype', '__proto__'])];

const RANDOM_CHARS = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/',
  ' !"#$%&\'()*+,;<=>?@[\\]^`{|}~',
  '\u0000\u0001\u0007\b\t\n\v\f\r\u001b\u007f',
  '\u00e9\u00df\u00a0\u0430\u043e\u03bb\u4e2d\u6587\u200b\u200d\u2028\u2029\ufeff\ufffd',
  '\ud83d\ude00\ud800\udfff',
].join('');

function randomString(rand: Rand, maxLength: number): string {
  const n = Math.floor(rand() * (maxLength + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += RANDOM_CHARS[Math.floor(rand() * RANDOM_CHARS.length)];
  return s;
}

/** Marks a key to delete, and numbers JSON.stringify cannot write (1e400 parses to Infinity). */
const REMOVE = Symbol('remove');
const RAW = '\u0000raw:';
const raw = (token: string): string => RAW + token;

function serialise(v: unknown): string {
  return JSON.stringify(v).replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

/** A value for `cmd` that names no command: not a string, an inherited name, a near miss, or random text. */
function strangerCommand(rand: Rand): unknown {
  const r = rand();
  if (r < 0.08) return pick(rand, [REMOVE, null, 0, 1, -1, true, false, [], ['probe'], { probe: 1 }, { cmd: 'stop' }]);
  for (;;) {
    const near = pick(rand, nearMisses(pick(rand, CMD_NAMES)));
    const name = r < 0.2 ? pick(rand, INHERITED) : r < 0.35 ? near : r < 0.5 ? pick(rand, nearMisses(near)) : randomString(rand, 24);
    if (!CMD_NAMES.includes(name)) return name;
  }
}

function unknownCommandReason(value: unknown): string {
  return `unknown command ${JSON.stringify(value === REMOVE ? null : value)}`;
}

/** Every key of the protocol, and the one option that is not on the wire. */
const ALL_KEYS = [...new Set([...Object.values(COMMANDS).flatMap((s) => allKeys(s)), 'lendFrames'])];
function allKeys(spec: Spec): string[] {
  if (spec.kind === 'list') return allKeys(spec.item);
  if (spec.kind !== 'object') return [];
  return [...Object.keys(spec.fields), ...Object.values(spec.fields).flatMap(allKeys)];
}

/**
 * A key `spec` does not know: a near miss of one of its keys, a key of another object, a name every
 * object inherits ("toString", "constructor", "__proto__"…: a lookup with `in` finds them), or a
 * random name, control characters, quotes and backslashes included (the reason quotes it as JSON,
 * on one line).
 */
function strangerKey(rand: Rand, spec: Extract<Spec, { kind: 'object' }>): string {
  for (;;) {
    const r = rand();
    const known = Object.keys(spec.fields);
    const key =
      r < 0.35 && known.length > 0
        ? pick(rand, nearMisses(pick(rand, known)))
        : r < 0.6
          ? pick(rand, ALL_KEYS)
          : r < 0.75
            ? pick(rand, INHERITED)
            : randomString(rand, 12);
    if (key.length > 0 && !Object.hasOwn(spec.fields, key)) return key;
  }
}

type JsonType = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object';
const SAMPLES: Readonly<Record<JsonType, readonly unknown[]>> = {
  number: [0, 1, 7, -1, 2.5, 65536],
  string: ['', 'core', 'INFO', '42', 'probe', 'src', '/sys/fs/cgroup'],
  boolean: [true, false],
  null: [null],
  array: [[], ['core'], [42], [{}]],
  object: [{}, { id: 1 }, { type: 'src', direction: 'in', from: 1 }],
};

function jsonTypes(spec: Spec): JsonType[] {
  switch (spec.kind) {
    case 'int':
      return ['number'];
    case 'enum':
    case 'text':
      return ['string'];
    case 'either':
      return [...jsonTypes(spec.a), ...jsonTypes(spec.b)];
    case 'list':
      return ['array'];
    case 'object':
      return ['object'];
  }
}

const intOf = (spec: Spec): Extract<Spec, { kind: 'int' }> | undefined => (spec.kind === 'int' ? spec : spec.kind === 'either' ? (intOf(spec.a) ?? intOf(spec.b)) : undefined);
const enumOf = (spec: Spec): Extract<Spec, { kind: 'enum' }> | undefined => (spec.kind === 'enum' ? spec : spec.kind === 'either' ? (enumOf(spec.a) ?? enumOf(spec.b)) : undefined);

/** Numbers outside the documented range (a fraction, infinities, past the last safe integer). */
function outOfRange(rand: Rand, spec: Extract<Spec, { kind: 'int' }>): unknown {
  const values: unknown[] = [spec.min - 1, spec.min + 0.5, -1, raw('1e400'), raw('-1e400'), 2 ** 53 + 2];
  if (spec.max !== undefined) values.push(spec.max + 1, spec.max + 0.5, raw(`${spec.max}1`));
  return pick(
    rand,
    values.filter((v) => typeof v !== 'number' || v < spec.min || v > (spec.max ?? Number.MAX_SAFE_INTEGER) || !Number.isInteger(v)),
  );
}

/** An integer inside the documented range (a power of two where that is documented; up to min + 1000 where no maximum is). */
function inRange(rand: Rand, spec: Extract<Spec, { kind: 'int' }>): number {
  const max = spec.max ?? spec.min + 1000;
  if (spec.pow2) return 2 ** (Math.log2(spec.min) + Math.floor(rand() * (Math.log2(max) - Math.log2(spec.min) + 1)));
  return pick(rand, [spec.min, max, spec.min + Math.floor(rand() * (max - spec.min + 1))]);
}

interface Node {
  readonly at: readonly (string | number)[];
  readonly spec: Spec;
  /** A key its object may go without. */
  readonly optional: boolean;
}

/** Every value of `v` (itself first) with its place and description. */
function nodesOf(v: unknown, spec: Spec, at: (string | number)[] = [], optional = false, out: Node[] = []): Node[] {
  out.push({ at, spec, optional });
  if (spec.kind === 'list' && Array.isArray(v)) v.forEach((x, i) => nodesOf(x, spec.item, [...at, i], false, out));
  if (spec.kind === 'object' && isObject(v)) for (const [k, x] of Object.entries(v)) nodesOf(x, spec.fields[k]!, [...at, k], !spec.required.includes(k), out);
  return out;
}

const pathOf = (at: readonly (string | number)[]): string => `command${at.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;

/** A copy of `root` with the value at `at` replaced (REMOVE deletes the key). */
function withValue(root: unknown, at: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(root) as Record<string, unknown>;
  let parent = copy as Record<string | number, unknown>;
  for (const s of at.slice(0, -1)) parent = parent[s] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (value === REMOVE) delete parent[last];
  // an own property even for "__proto__", which an assignment would take as the prototype (and JSON.stringify leave out)
  else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

// ---------------------------------------------------------------------------------------------

test('every command of the protocol parses', () => {
  const names = VALID.map((l) => parseCommand(l).cmd);
  assert.deepEqual(names, ['probe', 'start', 'reconfigure', 'pause', 'resume', 'stop']);
  const start = parseCommand('{"id":9,"cmd":"start","filter":{}}');
  assert.deepEqual(start.cmd === 'start' && start.options, {});
  for (const line of [...VALID, FULL_START]) assert.deepEqual(parseCommand(line), JSON.parse(line), line);
});

test('the documented shapes the fuzz tests judge by hold for the protocol and flag unknown keys and out-of-range numbers', () => {
  for (const line of [...VALID, FULL_START]) assert.equal(commandFlaw(parseCommand(line)), undefined, line);
  const full = JSON.parse(FULL_START) as HelperCommand;
  const flaws = [
    withValue(full, ['extra'], 1),
    withValue(full, ['options', 'lendFrames'], true),
    withValue(full, ['filter', 'ports', 0, 'cidr'], '::1'),
    withValue(full, ['options', 'drainIntervalMs'], 1001),
    withValue(full, ['filter', 'pids', 1], 0),
    withValue(full, ['filter', 'priority'], 9),
    withValue(full, ['filter', 'classes', 0], 'CORE'),
    withValue(full, ['filter', 'ports', 0, 'to'], 52),
    withValue(full, ['id'], 1.5),
    withValue(full, ['filter', 'addrs', 0, 'cidr'], REMOVE),
    withValue(full, ['options'], REMOVE),
  ].map((c) => commandFlaw(c as HelperCommand));
  assert.deepEqual(flaws, [
    'command has the unknown key "extra"',
    'command.options has the unknown key "lendFrames"',
    'command.filter.ports[0] has the unknown key "cidr"',
    'command.options.drainIntervalMs = 1001, not an integer from 1 to 1000',
    'command.filter.pids[1] = 0, not an integer from 1 to 1073741823',
    'command.filter.priority = 9, not an integer from 1 to 8',
    'command.filter.classes[0] = "CORE", not one of core, aux',
    'command.filter.ports[0]: "to" below "from"',
    'command.id = 1.5, not an integer from 0 to 9007199254740991',
    'command.filter.addrs[0] lacks "cidr"',
    'start without options',
  ]);
});

test('malformed, unknown and mistyped commands are refused with a reason and the id when readable', () => {
  const refusals: [string, RegExp, number | null][] = [
    ['not json', /not a JSON object/, null],
    ['[1,2]', /not a JSON object/, null],
    ['{"id":1,"cmd":"exec","path":"/bin/sh"}', /unknown command "exec"/, 1],
    ['{"id":1}', /unknown command null/, 1],
    ['{"id":1,"cmd":"toString"}', /unknown command "toString"/, 1],
    ['{"id":1,"cmd":"__proto__"}', /unknown command/, 1],
    ['{"id":2,"cmd":"probe","extra":true}', /unknown key "extra"/, 2],
    ['{"id":-1,"cmd":"probe"}', /command.id: expected an integer/, null],
    ['{"id":3,"cmd":"start"}', /"filter" is required/, 3],
    ['{"id":3,"cmd":"start","filter":{"priority":9}}', /priority/, 3],
    ['{"id":3,"cmd":"start","filter":{"classes":"core"}}', /classes: expected a list/, 3],
    ['{"id":3,"cmd":"start","filter":{"pids":[0]}}', /pids\[0\]/, 3],
    ['{"id":3,"cmd":"start","filter":{"comms":["a-name-longer-than-15"]}}', /comms\[0\]/, 3],
    ['{"id":3,"cmd":"start","filter":{"addrs":[{"type":"dst","direction":"out","cidr":"10.0.0.0/8; rm -rf /"}]}}', /cidr/, 3],
    ['{"id":3,"cmd":"start","filter":{"ports":[{"type":"src","direction":"in","from":90,"to":80}]}}', /"to" below "from"/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"cgroupPath":"/etc/shadow"}}', /cgroupPath/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"cgroupPath":"/sys/fs/cgroup/../../etc"}}', /cgroupPath/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"cgroupPath":"/sys/fs/cgroup/./x"}}', /cgroupPath/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"cgroupPath":"/sys/fs/cgroup//x"}}', /cgroupPath/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"ringBufferBytes":65537}}', /ringBufferBytes: expected a power of two/, 3],
    ['{"id":3,"cmd":"start","filter":{"comms":["\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"]}}', /comms\[0\]: expected a name of 1-15 bytes/, 3],
    ['{"id":2,"cmd":"probe","toString":{"x":1}}', /command: unknown key "toString"/, 2],
    ['{"id":2,"cmd":"probe","__proto__":{"x":1}}', /command: unknown key "__proto__"/, 2],
    ['{"id":2,"cmd":"start","filter":{"constructor":1}}', /command.filter: unknown key "constructor"/, 2],
    ['{"id":2,"cmd":"probe","a\\nb":1}', /command: unknown key "a\\nb"/, 2],
    ['{"id":3,"cmd":"start","filter":{},"options":{"bpfObject":"/tmp/evil.o"}}', /unknown key "bpfObject"/, 3],
    [`{"id":4,"cmd":"probe","x":"${'a'.repeat(MAX_COMMAND_BYTES)}"}`, /longer than/, null],
  ];
  for (const [line, reason, id] of refusals) {
    assert.throws(
      () => parseCommand(line),
      (e: unknown) => e instanceof CommandError && reason.test(e.message) && e.id === id,
      line.slice(0, 120),
    );
  }
});

test('thousands of character edits of valid commands are refused, or parse to a command of the documented shape', () => {
  const seed = SEED;
  const rand = rng(seed);
  const alphabet = '{}[]":,0123456789-.eE truefalsnl\\/abcdxyz';
  const lines = [...VALID, FULL_START];
  let refused = 0;
  let accepted = 0;
  for (let n = 0; n < 20000; n++) {
    const chars = [...lines[n % lines.length]!];
    const edits = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rand() * chars.length);
      const op = rand();
      const c = alphabet[Math.floor(rand() * alphabet.length)]!;
      if (op < 0.4) chars[at] = c;
      else if (op < 0.7) chars.splice(at, 1);
      else chars.splice(at, 0, c);
    }
    const line = chars.join('');
    const where = `seed ${seed}, edit #${n}`;
    let cmd: HelperCommand;
    try {
      cmd = parseCommand(line);
    } catch (e) {
      assert.ok(e instanceof CommandError, `${where}: threw ${(e as Error).stack} for ${show(line)}`);
      assert.doesNotMatch(e.message, /[\r\n]/, `${where}: ${show(line)}`);
      refused++;
      continue;
    }
    accepted++;
    const broken = commandFlaw(cmd);
    assert.equal(broken, undefined, `${where}: accepted ${show(line)}, which breaks the documented shape: ${broken}`);
  }
  assert.ok(refused > 10000, `seed ${seed}: refused ${refused}`);
  assert.ok(accepted > 100, `seed ${seed}: accepted ${accepted} (some edits stay valid, e.g. another id)`);
});

type Mutation = 'wrong type' | 'out of range' | 'unknown value' | 'unknown key' | 'missing key' | 'unknown cmd' | 'in range';
const MUTATIONS: readonly Mutation[] = ['wrong type', 'wrong type', 'out of range', 'out of range', 'unknown value', 'unknown key', 'unknown key', 'missing key', 'unknown cmd', 'in range', 'in range', 'in range'];

interface Place extends Node {
  readonly base: HelperCommand;
}

/** Where each kind of mutation can be made in the valid commands. */
function placesFor(bases: readonly HelperCommand[]): Readonly<Record<Mutation, readonly Place[]>> {
  const all = bases.flatMap((base) => nodesOf(base, COMMANDS[base.cmd]).map((node) => ({ ...node, base })));
  const fields = all.filter((x) => x.at.length > 0 && x.at[0] !== 'cmd');
  const objects = all.filter((x) => x.spec.kind === 'object');
  return {
    'wrong type': fields,
    'out of range': fields.filter((x) => intOf(x.spec)),
    'unknown value': fields.filter((x) => enumOf(x.spec)),
    'unknown key': objects,
    'missing key': objects.filter((x) => requiredOf(x).length > 0),
    'unknown cmd': all.filter((x) => x.at.length === 0),
    'in range': fields.filter((x) => x.optional || intOf(x.spec) || enumOf(x.spec)),
  };
}

/** The keys an object may not go without (`cmd` aside: leaving it out is an unknown command). */
const requiredOf = (x: Node): readonly string[] => (x.spec.kind === 'object' ? x.spec.required.filter((k) => k !== 'cmd' || x.at.length > 0) : []);

test('thousands of field mutations: a wrong type, out-of-range number, unknown key, value or cmd is refused naming its path; an in-range change parses as sent', () => {
  const seed = (SEED + 1) >>> 0;
  const rand = rng(seed);
  const places = placesFor([...VALID, FULL_START].map((l) => JSON.parse(l) as HelperCommand));
  const counts = new Map<Mutation, number>();
  let refused = 0;
  for (let n = 0; n < 20000; n++) {
    const mutation = pick(rand, MUTATIONS);
    const place = pick(rand, places[mutation]);
    const base = place.base;
    let at = place.at;
    let mutant: Record<string, unknown>;
    /** What the refusal must start with, or undefined when the mutant is valid. */
    let reason: string | undefined = `${pathOf(at)}: `;
    switch (mutation) {
      case 'wrong type': {
        const allowed = jsonTypes(place.spec);
        mutant = withValue(base, at, pick(rand, SAMPLES[pick(rand, (Object.keys(SAMPLES) as JsonType[]).filter((t) => !allowed.includes(t)))]));
        break;
      }
      case 'out of range':
        mutant = withValue(base, at, outOfRange(rand, intOf(place.spec)!));
        break;
      case 'unknown value': {
        const values = enumOf(place.spec)!.values;
        mutant = withValue(base, at, pick(rand, [...nearMisses(pick(rand, values)), ...INHERITED].filter((v) => !values.includes(v))));
        break;
      }
      case 'unknown key': {
        const key = strangerKey(rand, place.spec as Extract<Spec, { kind: 'object' }>);
        reason = `${pathOf(at)}: unknown key ${JSON.stringify(key)}`;
        at = [...at, key];
        mutant = withValue(base, at, pick(rand, SAMPLES[pick(rand, Object.keys(SAMPLES) as JsonType[])]));
        break;
      }
      case 'missing key': {
        const key = pick(rand, requiredOf(place));
        reason = `${pathOf(at)}: "${key}" is required`;
        at = [...at, key];
        mutant = withValue(base, at, REMOVE);
        break;
      }
      case 'unknown cmd': {
        const value = strangerCommand(rand);
        at = ['cmd'];
        mutant = withValue(base, at, value);
        reason = unknownCommandReason(value);
        break;
      }
      case 'in range': {
        // Another integer or name from the documented range, or an optional key left out.
        const [ints, names, r] = [intOf(place.spec), enumOf(place.spec), rand()];
        mutant = withValue(base, at, (place.optional && r < 0.3) || (!ints && !names) ? REMOVE : ints && (r < 0.65 || !names) ? inRange(rand, ints) : pick(rand, names!.values));
        const port = at[1] === 'ports' && typeof at[2] === 'number' ? (mutant.filter as CaptureFilter).ports![at[2]]! : undefined;
        reason = port && port.to !== undefined && port.to < port.from ? 'command.filter.ports: ' : undefined;
        break;
      }
    }
    counts.set(mutation, (counts.get(mutation) ?? 0) + 1);
    const line = serialise(mutant);
    const where = `seed ${seed}, mutant #${n} (${mutation} at ${pathOf(at)})`;
    if (reason !== undefined) {
      const e = refusal(line, where);
      assert.ok(e.message.startsWith(reason), `${where}: refused ${show(line)} with ${JSON.stringify(e.message)}, not naming ${JSON.stringify(reason)}`);
      assert.equal(e.id, at[0] === 'id' ? null : base.id, `${where}: the reply's id for ${show(line)}`);
      refused++;
      continue;
    }
    let cmd: HelperCommand;
    try {
      cmd = parseCommand(line);
    } catch (e) {
      assert.fail(`${where}: refused ${show(line)}: ${(e as Error).message}`);
    }
    const broken = commandFlaw(cmd);
    assert.equal(broken, undefined, `${where}: accepted ${show(line)}, which breaks the documented shape: ${broken}`);
    const sent = JSON.parse(line) as Record<string, unknown>;
    if (sent.cmd === 'start' && !('options' in sent)) sent.options = {};
    assert.deepEqual(cmd, sent, `${where}: ${show(line)} parsed into something else`);
  }
  for (const m of new Set(MUTATIONS)) assert.ok((counts.get(m) ?? 0) > 500, `seed ${seed}: only ${counts.get(m) ?? 0} mutants of kind ${m}`);
  assert.ok(refused > 10000, `seed ${seed}: refused ${refused}`);
});

test('thousands of unknown command names (near misses, inherited names, random text, non-strings) are refused by name, with the id', () => {
  const seed = (SEED + 2) >>> 0;
  const rand = rng(seed);
  const named: unknown[] = ['Start', 'STOP', 'stop ', ' probe', 'probe\u0000', 'pause\n', 're\u200bsume', 'st\u043ep', 'reconfig', 'starts', 'exec', '', ...INHERITED];
  const bases = [...VALID, FULL_START].map((l) => JSON.parse(l) as HelperCommand);
  const seen = new Set<string>();
  for (let n = 0; n < 10000; n++) {
    const value = n < named.length ? named[n] : strangerCommand(rand);
    const base = bases[n % bases.length]!;
    const line = serialise(withValue(base, ['cmd'], value));
    const where = `seed ${seed}, name #${n}`;
    const e = refusal(line, where);
    assert.ok(e.message.startsWith(`${unknownCommandReason(value)} (`), `${where}: refused ${show(line)} with ${JSON.stringify(e.message)}`);
    assert.equal(e.id, base.id, `${where}: the reply's id for ${show(line)}`);
    seen.add(typeof value === 'string' ? value : String(value));
  }
  assert.ok(seen.size > 5000, `seed ${seed}: only ${seen.size} different names`);
});

test('malformed lines (cut short, trailing garbage, not an object, deep nesting, too long) are refused with a one-line reason, only ever as CommandError', () => {
  const seed = (SEED + 3) >>> 0;
  const rand = rng(seed);
  const lines = [...VALID, FULL_START];
  const notObject: string[] = [];
  for (const line of lines) for (let i = 0; i < line.length; i++) notObject.push(line.slice(0, i));
  const garbage = ['}', ']', ',', 'x', '{}', '"', ',"x":1}', '//', 'null', '\u0000', '\u00a0', '\ufeff', '\u2028', '\\'];
  for (let n = 0; n < 2000; n++) {
    const tail = pick(rand, garbage) + randomString(rand, 8);
    notObject.push(pick(rand, lines) + (rand() < 0.5 ? ' '.repeat(Math.floor(rand() * 4)) : '') + tail);
  }
  notObject.push('1', '-0', '1e400', '""', '"probe"', 'true', 'false', 'null', '[]', `[${VALID[0]}]`, JSON.stringify(VALID[0]), ' ', '\t');
  const depth = Math.floor((MAX_COMMAND_BYTES - 2) / 2);
  notObject.push('['.repeat(depth) + ']'.repeat(depth), '['.repeat(MAX_COMMAND_BYTES), '{"a":'.repeat(10000), `{"id":1,"cmd":"probe"${'}'.repeat(30000)}`);
  for (let n = 0; n < 2000; n++) notObject.push(randomString(rand, 200));
  let objects = 0;
  for (const [n, line] of notObject.entries()) {
    const where = `seed ${seed}, line #${n}`;
    const e = refusal(line, where);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    // Random text may be a JSON object by chance (e.g. "{}"): refused as well, for what it lacks.
    if (isObject(parsed)) objects++;
    else assert.deepEqual([e.message, e.id], ['not a JSON object', null], `${where}: ${show(line)}`);
  }
  assert.ok(objects < 20, `seed ${seed}: ${objects} of the malformed lines are JSON objects`);

  // Well-formed but deep: the schema's checks do not descend into what they have already refused.
  const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  const deep: [string, string][] = [
    ['{"a":'.repeat(10000) + '1' + '}'.repeat(10000), 'unknown command null'],
    [`{"id":1,"cmd":"probe","x":${nest(30000)}}`, 'command: unknown key "x"'],
    [`{"id":1,"cmd":"start","filter":{"classes":${nest(30000)}}}`, 'command.filter.classes[0]: '],
    [`{"id":1,"cmd":"start","filter":{"pids":[${nest(30000)}]}}`, 'command.filter.pids[0]: '],
    [`{"id":1,"cmd":"start","filter":{"priority":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}}`, 'command.filter.priority: '],
  ];
  for (const [line, reason] of deep) {
    const e = refusal(line, `deep ${line.slice(0, 40)}`);
    assert.ok(e.message.startsWith(reason), `${show(line)}: ${e.message}`);
  }

  // Length is counted in bytes, not characters: the limit itself passes, a byte more does not.
  const padded = (bytes: number, fill: string): string => {
    const head = '{"id":1,"cmd":"probe","x":"';
    return `${head}${fill.repeat((bytes - head.length - 2) / Buffer.byteLength(fill))}"}`;
  };
  const atLimit = `${VALID[0]!.slice(0, -1)}${' '.repeat(MAX_COMMAND_BYTES - VALID[0]!.length)}}`;
  assert.equal(Buffer.byteLength(atLimit), MAX_COMMAND_BYTES);
  assert.equal(parseCommand(atLimit).cmd, 'probe');
  const tooLong = [`${VALID[0]!.slice(0, -1)}${' '.repeat(MAX_COMMAND_BYTES + 1 - VALID[0]!.length)}}`, padded(MAX_COMMAND_BYTES + 1, 'a'), padded(MAX_COMMAND_BYTES + 2, '\u00e9'), padded(16 * MAX_COMMAND_BYTES, 'x')];
  assert.ok(padded(MAX_COMMAND_BYTES + 2, '\u00e9').length < MAX_COMMAND_BYTES, 'two-byte characters: fewer characters than bytes');
  for (const line of tooLong) {
    const e = refusal(line, `${Buffer.byteLength(line)} bytes`);
    assert.equal(e.message, `command longer than ${MAX_COMMAND_BYTES} bytes`);
    assert.equal(e.id, null);
  }
});
