/**
 * The options dialog's editable copy of the capture filter (text where the user types, lists
 * where they add rules) and its checked conversion back. Mistakes are caught here with one line
 * naming the field; the host checks the result again before it starts anything.
 */
import type { CaptureFilterOptions } from '../../../electron/ipc/capture-schema.js';

export type RuleType = 'src' | 'dst';
export type RuleDirection = 'in' | 'out' | 'both';

export interface AddressRow {
  type: RuleType;
  direction: RuleDirection;
  cidr: string;
}
export interface PortRow {
  type: RuleType;
  direction: RuleDirection;
  from: string;
  to: string;
}

export interface CaptureForm {
  readonly options: CaptureFilterOptions;
  readonly addrs: readonly AddressRow[];
  readonly ports: readonly PortRow[];
  readonly pids: string;
  readonly comms: string;
}

export const MAX_RULES = 16;

export function formOf(options: CaptureFilterOptions): CaptureForm {
  return {
    options,
    addrs: (options.addrs ?? []).map((a) => ({ ...a })),
    ports: (options.ports ?? []).map((p) => ({ type: p.type, direction: p.direction, from: String(p.from), to: p.to === undefined || p.to === p.from ? '' : String(p.to) })),
    pids: (options.pids ?? []).join(', '),
    comms: (options.comms ?? []).join(', '),
  };
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/;

function validCidr(text: string): boolean {
  if (IPV4.test(text)) {
    const [addr, prefix] = text.split('/');
    return addr!.split('.').every((o) => Number(o) <= 255) && (prefix === undefined || Number(prefix) <= 32);
  }
  if (IPV6.test(text)) {
    const prefix = text.split('/')[1];
    return prefix === undefined || Number(prefix) <= 128;
  }
  return false;
}

function port(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) throw new Error(`${what}: expected a port number (0–65535), got "${text}"`);
  return Number(text);
}

const items = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The options the form describes; throws an Error whose message names the field. */
export function optionsOf(form: CaptureForm): CaptureFilterOptions {
  const addrs = form.addrs.map((a, i) => {
    const cidr = a.cidr.trim();
    if (!validCidr(cidr)) throw new Error(`Address filter ${i + 1}: expected an address or CIDR (10.0.0.0/8, ::1), got "${a.cidr}"`);
    return { type: a.type, direction: a.direction, cidr };
  });
  const ports = form.ports.map((p, i) => {
    const from = port(p.from, `Port filter ${i + 1}`);
    const to = p.to.trim() === '' ? from : port(p.to, `Port filter ${i + 1} (to)`);
    if (to < from) throw new Error(`Port filter ${i + 1}: the range ends (${to}) before it starts (${from})`);
    return { type: p.type, direction: p.direction, from, ...(to !== from ? { to } : {}) };
  });
  const pids = items(form.pids).map((p) => {
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 0x3fffffff) throw new Error(`Process ids: expected numbers separated by commas, got "${p}"`);
    return Number(p);
  });
  const comms = items(form.comms);
  for (const c of comms) if (new TextEncoder().encode(c).length > 15) throw new Error(`Commands: "${c}" is longer than the 15 bytes the kernel keeps of a command name`);
  if (pids.length > 1024) throw new Error('Process ids: at most 1024');
  if (comms.length > 256) throw new Error('Commands: at most 256');
  return { ...form.options, addrs, ports, pids, comms };
}
