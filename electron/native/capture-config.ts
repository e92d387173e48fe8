/**
 * The capture filter as users state it (WindView's rules: classes, priority threshold, per-event
 * enable/disable, address and port filters with type and direction, pid and comm) validated and
 * turned into the configuration the BPF maps take (bpf/config.h). Pure: no addon needed.
 */
import { CLASSES, EVENTS, PRIORITIES, type EventClass, type PriorityName } from '../../renderer/engine/model/events.js';
import { parseCidr } from '../../renderer/engine/net/address.js';
import { EVENT_OF_WIRE } from '../../renderer/engine/records/abi.js';

export type FilterType = 'src' | 'dst';
export type FilterDirection = 'in' | 'out' | 'both';

export interface AddressRule {
  readonly type: FilterType;
  readonly direction: FilterDirection;
  /** `10.0.0.0/8`, `::1`, `fe80::/10` */
  readonly cidr: string;
}

export interface PortRule {
  readonly type: FilterType;
  readonly direction: FilterDirection;
  readonly from: number;
  /** inclusive; defaults to `from` */
  readonly to?: number;
}

export interface CaptureFilter {
  /** default: every class */
  readonly classes?: readonly EventClass[];
  /** events at or above this priority (1 = EMERGENCY … 8 = VERBOSE, or its name); default INFO */
  readonly priority?: number | PriorityName;
  /** catalog ids captured whatever their class and priority */
  readonly enable?: readonly string[];
  /** catalog ids never captured (enable wins over disable) */
  readonly disable?: readonly string[];
  readonly addrs?: readonly AddressRule[];
  readonly ports?: readonly PortRule[];
  readonly pids?: readonly number[];
  readonly comms?: readonly string[];
  /** tcp.probe: keep one sample in N per CPU (default 1: all) */
  readonly probeEvery?: number;
}

/** What native/ reads (config_map.cc): numbers only, checked again there. */
export interface NativeConfig {
  readonly events: number[];
  readonly addrs: { type: number; directions: number; family: number; addr: Uint8Array; prefixLen: number }[];
  readonly ports: { type: number; directions: number; lo: number; hi: number }[];
  readonly pids: number[];
  readonly comms: string[];
  readonly probeEvery: number;
}

const LIMITS = { addrs: 16, ports: 16, pids: 1024, comms: 256 } as const;
const DIRECTIONS: Readonly<Record<FilterDirection, number>> = { in: 1, out: 2, both: 3 };
const TYPES: Readonly<Record<FilterType, number>> = { src: 0, dst: 1 };

/** Wire number (enum wv_event) of each catalog index. */
const WIRE_OF_EVENT: Int16Array = (() => {
  const out = new Int16Array(EVENTS.length).fill(-1);
  EVENT_OF_WIRE.forEach((index, wire) => {
    if (index >= 0) out[index] = wire;
  });
  return out;
})();

function fail(message: string): never {
  throw new TypeError(message);
}

function priorityOf(p: number | PriorityName | undefined): number {
  if (p === undefined) return 7;
  if (typeof p === 'string') {
    const i = PRIORITIES.indexOf(p.toUpperCase() as PriorityName);
    if (i < 0) fail(`Expected "priority" to be one of ${PRIORITIES.join(', ')}`);
    return i + 1;
  }
  if (!Number.isInteger(p) || p < 1 || p > 8) fail('Expected "priority" to be an integer from 1 to 8');
  return p;
}

function eventIds(key: string, ids: readonly string[] | undefined): Set<number> {
  const out = new Set<number>();
  for (const id of ids ?? []) {
    const index = EVENTS.findIndex((e) => e.id === id);
    if (index < 0) fail(`Expected "${key}" to hold catalog event ids, got "${id}"`);
    out.add(index);
  }
  return out;
}

function typeAndDirection(key: string, rule: { type: FilterType; direction: FilterDirection }): { type: number; directions: number } {
  const type = TYPES[rule.type];
  const directions = DIRECTIONS[rule.direction];
  if (type === undefined) fail(`Expected "${key}.type" to be "src" or "dst"`);
  if (directions === undefined) fail(`Expected "${key}.direction" to be "in", "out" or "both"`);
  return { type, directions };
}

function limited<T>(key: keyof typeof LIMITS, items: readonly T[] | undefined): readonly T[] {
  const list = items ?? [];
  if (!Array.isArray(list)) fail(`Expected "${key}" to be an array`);
  if (list.length > LIMITS[key]) fail(`Expected at most ${LIMITS[key]} "${key}", got ${list.length}`);
  return list;
}

/** Catalog indexes a filter captures: WindView's rule (class and priority, then per-event switches). */
export function selectedEvents(filter: CaptureFilter): number[] {
  const classes = filter.classes ?? CLASSES;
  for (const c of classes) if (!CLASSES.includes(c)) fail(`Expected "classes" to hold ${CLASSES.join(' or ')}, got "${c}"`);
  const level = priorityOf(filter.priority);
  const enabled = eventIds('enable', filter.enable);
  const disabled = eventIds('disable', filter.disable);
  const out: number[] = [];
  EVENTS.forEach((e, i) => {
    const byLevel = classes.includes(e.class) && e.priority <= level && !disabled.has(i);
    if (byLevel || enabled.has(i)) out.push(i);
  });
  return out;
}

/** Validates a filter and encodes it for the BPF maps; throws TypeError naming the bad option. */
export function nativeConfig(filter: CaptureFilter): NativeConfig {
  const events: number[] = [];
  for (const index of selectedEvents(filter)) {
    const wire = WIRE_OF_EVENT[index]!;
    if (wire >= 0) events.push(wire);
  }
  const addrs = limited('addrs', filter.addrs).map((rule, i) => {
    const cidr = typeof rule.cidr === 'string' ? parseCidr(rule.cidr) : undefined;
    if (!cidr) fail(`Expected "addrs[${i}].cidr" to be an address or CIDR, got ${JSON.stringify(rule.cidr)}`);
    const addr = new Uint8Array(16);
    addr.set(cidr.bytes);
    return { ...typeAndDirection(`addrs[${i}]`, rule), family: cidr.version === 4 ? 2 : 10, addr, prefixLen: cidr.prefix };
  });
  const ports = limited('ports', filter.ports).map((rule, i) => {
    const lo = rule.from;
    const hi = rule.to ?? rule.from;
    if (!Number.isInteger(lo) || lo < 0 || lo > 65535) fail(`Expected "ports[${i}].from" to be a port number (0-65535)`);
    if (!Number.isInteger(hi) || hi < lo || hi > 65535) fail(`Expected "ports[${i}].to" to be a port number from "from" to 65535`);
    return { ...typeAndDirection(`ports[${i}]`, rule), lo, hi };
  });
  const pids = limited('pids', filter.pids).map((pid) => {
    if (!Number.isInteger(pid) || pid < 1 || pid > 0x3fffffff) fail(`Expected "pids" to hold process ids, got ${pid}`);
    return pid;
  });
  const comms = limited('comms', filter.comms).map((comm) => {
    const bytes = typeof comm === 'string' ? new TextEncoder().encode(comm).length : 0;
    if (bytes < 1 || bytes > 15) fail(`Expected every "comms" entry to be 1 to 15 bytes (the kernel keeps 15), got ${JSON.stringify(comm)}`);
    return comm;
  });
  const probeEvery = filter.probeEvery ?? 1;
  if (!Number.isInteger(probeEvery) || probeEvery < 1) fail('Expected "probeEvery" to be a positive integer');
  return { events, addrs, ports, pids, comms, probeEvery };
}
