import { DIRECTIONS, IFF_FLAGS, MSG_FLAGS, NUD_STATES, TCP_CA_STATES, TCP_FLAGS, TCP_STATES, TcpFlagBit, TcpOpt, parseFlagNames, protoName, protoNumber } from '../model/enums.js';
import { errnoName, errnoNumber } from '../model/errno.js';
import { PRIORITIES } from '../model/events.js';
import { FIELDS, type FieldDef, type Storage } from '../model/fields.js';

/**
 * What the filter language knows about each field: how its values are found (a stored column, the
 * event catalog, two columns…) and which kind of value it compares as. Built from model/fields.ts
 * plus the aliases of the language (tcp.flags.syn…, net.ip, net.port).
 */
export type FilterField =
  /** Numbers in a stored column; `names` when the number has names (enums, flags, booleans). */
  | { readonly kind: 'number'; readonly name: string; readonly key: string; readonly storage: Storage; readonly names?: NumberNames }
  /** A stored bit (or bit mask) of a number column, used as a boolean: tcp.flags.syn, ps.owner. */
  | { readonly kind: 'bool'; readonly name: string; readonly key: string; readonly storage: Storage; readonly mask: number }
  | { readonly kind: 'text'; readonly name: string; readonly key: string }
  | { readonly kind: 'addr'; readonly name: string; readonly key: string }
  /** Domain names of an address column (any of them may match). */
  | { readonly kind: 'names'; readonly name: string; readonly key: string }
  /** IANA service name of a port column under the row's protocol. */
  | { readonly kind: 'service'; readonly name: string; readonly key: string }
  /** evt.name, evt.class, evt.priority: looked up in the event catalog from the event column. */
  | { readonly kind: 'event'; readonly name: string; readonly part: 'name' | 'class' | 'priority' }
  /** evt.ts (absolute ns, as exported) and evt.time (ISO-8601 text): compared as times. */
  | { readonly kind: 'time'; readonly name: string; readonly wall: boolean }
  /** An alias matching when either of two fields matches (net.ip, net.port). */
  | { readonly kind: 'either'; readonly name: string; readonly parts: readonly [FilterField, FilterField] };

/** How a numbered value reads by name: enums (`tcp`, `ECONNREFUSED`) or flag masks (`SYN|ACK`). */
export interface NumberNames {
  /** 'enum': one name per value, `=` and ordering by number; 'flags': a mask, `contains` tests bits. */
  readonly style: 'enum' | 'flags';
  /** The number of a name as users type it; undefined when unknown. */
  parse(word: string): number | undefined;
  /** The name of a value as the table shows it (enums only). */
  format(value: number): string;
  /** A few valid names for error messages. */
  readonly examples: string;
}

const upper = (w: string): string => w.toUpperCase();

const enumNames = (names: readonly string[], format: (v: number) => string, examples: string, base = 0): NumberNames => ({
  style: 'enum',
  parse: (w) => {
    const i = names.findIndex((n) => n !== '' && upper(n) === upper(w));
    if (i >= 0) return i + base;
    return /^\d+$/.test(w) ? Number(w) : undefined;
  },
  format,
  examples,
});

const flagNamesOf = (table: ReadonlyArray<readonly [number, string]>, prefix: string, examples: string): NumberNames => {
  const known = new Set(table.map(([, n]) => n));
  // Users may write any case and drop the common prefix (`PEEK` for MSG_PEEK).
  const canonical = (part: string): string => {
    const p = upper(part.trim());
    return p === '' || known.has(p) || /^0X[0-9A-F]+$/.test(p) ? p.replace(/^0X/, '0x') : prefix + p;
  };
  return {
    style: 'flags',
    parse: (w) => (/^\d+$/.test(w) ? Number(w) : parseFlagNames(w.split('|').map(canonical).join('|'), table)),
    format: (v) => String(v),
    examples,
  };
};

/** Names of numbered values, per column key. */
const NUMBER_NAMES: Readonly<Record<string, NumberNames>> = {
  proto: { style: 'enum', parse: protoNumber, format: (v) => (protoName(v) === 'other' ? String(v) : protoName(v)), examples: 'tcp, udp, icmp, icmpv6' },
  direction: enumNames(DIRECTIONS, (v) => DIRECTIONS[v] ?? String(v), 'send, receive, input, output, incoming, outgoing'),
  errno: { style: 'enum', parse: errnoNumber, format: errnoName, examples: 'ECONNREFUSED, ETIMEDOUT' },
  state_old: enumNames(TCP_STATES, (v) => TCP_STATES[v] || String(v), 'ESTABLISHED, SYN_SENT, CLOSE'),
  state_new: enumNames(TCP_STATES, (v) => TCP_STATES[v] || String(v), 'ESTABLISHED, SYN_SENT, CLOSE'),
  cong_state: enumNames(TCP_CA_STATES, (v) => TCP_CA_STATES[v] ?? String(v), 'Open, Disorder, CWR, Recovery, Loss'),
  tcp_flags: flagNamesOf(TCP_FLAGS.map((n) => [TcpFlagBit[n], n] as const), '', 'SYN, ACK, SYN|ACK'),
  msg_flags: flagNamesOf(MSG_FLAGS, 'MSG_', 'MSG_PEEK, MSG_DONTWAIT'),
  neigh_state: flagNamesOf(NUD_STATES, '', 'REACHABLE, STALE, FAILED'),
  link_flags: flagNamesOf(IFF_FLAGS, 'IFF_', 'UP, RUNNING, LOWER_UP, UP|LOWER_UP'),
  tcp_options: flagNamesOf(Object.entries(TcpOpt).map(([n, b]) => [b, n] as const), '', 'MSS, WSCALE, SACK_PERM, TIMESTAMPS'),
};

/** Priority names, compared by number (EMERGENCY = 1 … VERBOSE = 8; lower is more severe). */
export const PRIORITY_NAMES: NumberNames = enumNames(PRIORITIES, (v) => PRIORITIES[v - 1] ?? String(v), 'ERROR, WARNING, INFO', 1);

function fromDef(d: FieldDef): FilterField | undefined {
  switch (d.key) {
    case 'ts_ns':
      return { kind: 'time', name: d.filter, wall: false };
    case 'time':
      return { kind: 'time', name: d.filter, wall: true };
    case 'event':
      return { kind: 'event', name: d.filter, part: 'name' };
    case 'class':
      return { kind: 'event', name: d.filter, part: 'class' };
    case 'priority':
      return { kind: 'event', name: d.filter, part: 'priority' };
    case 'sport_name':
      return { kind: 'service', name: d.filter, key: 'sport' };
    case 'dport_name':
      return { kind: 'service', name: d.filter, key: 'dport' };
    case 'saddr_names':
      return { kind: 'names', name: d.filter, key: 'saddr' };
    case 'daddr_names':
      return { kind: 'names', name: d.filter, key: 'daddr' };
  }
  if (d.storage === 'derived') return undefined;
  if (d.kind === 'bool') return { kind: 'bool', name: d.filter, key: d.key, storage: d.storage, mask: 0xff };
  if (d.storage === 'str') return { kind: 'text', name: d.filter, key: d.key };
  if (d.storage === 'addr') return { kind: 'addr', name: d.filter, key: d.key };
  const names = NUMBER_NAMES[d.key];
  return names ? { kind: 'number', name: d.filter, key: d.key, storage: d.storage, names } : { kind: 'number', name: d.filter, key: d.key, storage: d.storage };
}

function buildTable(): Map<string, FilterField> {
  const table = new Map<string, FilterField>();
  for (const d of FIELDS) {
    const field = fromDef(d);
    if (field) table.set(field.name, field);
  }
  for (const flag of TCP_FLAGS) {
    const name = `tcp.flags.${flag.toLowerCase()}`;
    table.set(name, { kind: 'bool', name, key: 'tcp_flags', storage: 'u16', mask: TcpFlagBit[flag] });
  }
  const either = (name: string, a: string, b: string): void => {
    table.set(name, { kind: 'either', name, parts: [table.get(a)!, table.get(b)!] });
  };
  either('net.ip', 'net.sip', 'net.dip');
  either('net.port', 'net.sport', 'net.dport');
  either('net.ip.names', 'net.sip.names', 'net.dip.names');
  either('net.port.name', 'net.sport.name', 'net.dport.name');
  return table;
}

/** Every filter field by its name. */
export const FILTER_FIELDS: ReadonlyMap<string, FilterField> = buildTable();

/** Field names for autocomplete, in table order (model fields first, then the aliases). */
export const FILTER_FIELD_NAMES: readonly string[] = [...FILTER_FIELDS.keys()];

/** Edit distance (insert, delete, substitute, swap of neighbours) for "did you mean". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word` when it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const c of candidates) {
    const dist = distance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closest(word, candidates);
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
}
