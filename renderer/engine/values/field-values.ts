import { DIRECTIONS, IFF_FLAGS, MSG_FLAGS, NUD_STATES, TCP_CA_STATES, TCP_FLAGS, TCP_STATES, TcpOpt, flagNames, protoName } from '../model/enums.js';
import { errnoName } from '../model/errno.js';
import { EVENTS, PRIORITIES } from '../model/events.js';
import { FIELDS, type FieldDef } from '../model/fields.js';
import { serviceName } from '../names/ports.js';
import { columnValue, hasValue } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import { jsonText } from './json-text.js';
import { isoMicros } from './time.js';

/** A field value as JSON and the details pane show it; bigint for exact absolute times. */
export type FieldValue = number | bigint | string | boolean | readonly string[] | Readonly<Record<string, unknown>>;

/** Fields folded into `tcp_options` in JSON and details. */
export const TCP_OPTION_PARTS: ReadonlySet<string> = new Set(['tcp_mss', 'tcp_wscale', 'tcp_ts_val', 'tcp_ts_ecr']);

/**
 * Reads field values of single rows (details, JSON export). Column-wise work (filters, LOD) reads
 * the typed arrays directly instead.
 */
export class RowReader {
  constructor(private readonly store: EventStore) {}

  /** Raw stored number of `key` at (batch, row), or undefined when the row has none. */
  raw(batch: number, row: number, key: string): number | undefined {
    const col = this.store.batches[batch]!.columns[key];
    if (!col || !hasValue(col, row)) return undefined;
    return columnValue(col, row);
  }

  /** Absolute `ts_ns` of a row: as recorded (since boot for live captures, epoch for packets). */
  tsNs(batch: number, row: number): bigint {
    return (this.store.baseNs ?? 0n) + BigInt(this.raw(batch, row, 'ts_ns') ?? 0);
  }

  /** The value of `field` at (batch, row) as shown to people and written to JSON; undefined when empty. */
  value(batch: number, row: number, field: FieldDef): FieldValue | undefined {
    const key = field.key;
    const ev = EVENTS[this.raw(batch, row, 'event') ?? 0]!;
    switch (key) {
      case 'ts_ns':
        return this.tsNs(batch, row);
      case 'time':
        return isoMicros(this.tsNs(batch, row) + this.store.meta.wallOffsetNs);
      case 'event':
        return ev.id;
      case 'class':
        return ev.class;
      case 'priority':
        return PRIORITIES[ev.priority - 1]!;
      case 'sport_name':
      case 'dport_name': {
        const port = this.raw(batch, row, key === 'sport_name' ? 'sport' : 'dport');
        const proto = this.raw(batch, row, 'proto');
        if (port === undefined || (proto !== 6 && proto !== 17)) return undefined;
        return serviceName(port, proto) || undefined;
      }
      case 'saddr_names':
      case 'daddr_names': {
        const id = this.raw(batch, row, key === 'saddr_names' ? 'saddr' : 'daddr');
        if (id === undefined) return undefined;
        const names = this.store.dns.namesOf(id);
        return names.length > 0 ? names : undefined;
      }
      case 'tcp_options':
        return this.tcpOptions(batch, row);
    }
    if (TCP_OPTION_PARTS.has(key)) return undefined;
    const v = this.raw(batch, row, key);
    return v === undefined ? undefined : shownValue(this.store, field, v);
  }

  private tcpOptions(batch: number, row: number): Record<string, unknown> | undefined {
    const mask = this.raw(batch, row, 'tcp_options');
    if (mask === undefined || mask === 0) return undefined;
    const o: Record<string, unknown> = {};
    if (mask & TcpOpt.MSS) o.mss = this.raw(batch, row, 'tcp_mss');
    if (mask & TcpOpt.WSCALE) o.wscale = this.raw(batch, row, 'tcp_wscale');
    if (mask & TcpOpt.SACK_PERM) o.sack_permitted = true;
    if (mask & TcpOpt.TIMESTAMPS) {
      o.ts_val = this.raw(batch, row, 'tcp_ts_val');
      o.ts_ecr = this.raw(batch, row, 'tcp_ts_ecr');
    }
    if (mask & TcpOpt.SACK) o.sack = true;
    if (mask & TcpOpt.FASTOPEN) o.fastopen = true;
    if (mask & TcpOpt.MPTCP) o.mptcp = true;
    if (mask & TcpOpt.OTHER) o.other = true;
    return o;
  }

  /** Every field of a row that has a value, in FIELDS order: the JSON Lines object. */
  object(batch: number, row: number): Record<string, FieldValue> {
    const out: Record<string, FieldValue> = {};
    for (const field of FIELDS) {
      const v = this.value(batch, row, field);
      if (v !== undefined) out[field.key] = v;
    }
    return out;
  }
}

/**
 * A TCP state number's name: the capturing kernel's own (`meta.extra.tcp_states`, from its BTF)
 * when the trace has them, so that a state newer than WindView's table is named too; else the
 * table of include/net/tcp_states.h.
 */
export function tcpStateName(store: EventStore, v: number): string {
  const kernel = store.meta.extra.tcp_states;
  const name = Array.isArray(kernel) ? kernel[v] : undefined;
  return (typeof name === 'string' && name !== '' ? name : TCP_STATES[v]) || String(v);
}

/** Stored fields whose numbers are shown as names (or a boolean); other number fields show the number. */
export const NAMED_NUMBER_KEYS: ReadonlySet<string> = new Set([
  'proto',
  'direction',
  'errno',
  'msg_flags',
  'tcp_flags',
  'state_old',
  'state_new',
  'cong_state',
  'neigh_state',
  'link_flags',
  'pid_owner',
]);

/**
 * A stored number of a (non-derived) field as people and JSON see it: dictionary text for
 * strings and addresses, names for the NAMED_NUMBER_KEYS fields, else the number itself.
 */
export function shownValue(store: EventStore, field: FieldDef, v: number): FieldValue {
  switch (field.storage) {
    case 'str':
      return store.dicts.strings(field.key).get(v);
    case 'addr':
      return store.dicts.addrs.text(v);
  }
  switch (field.key) {
    case 'proto':
      return protoName(v) === 'other' ? String(v) : protoName(v);
    case 'direction':
      return DIRECTIONS[v] ?? String(v);
    case 'errno':
      return errnoName(v);
    case 'msg_flags':
      return flagNames(v, MSG_FLAGS).join('|');
    case 'tcp_flags':
      return TCP_FLAGS.filter((_, i) => (v & (1 << i)) !== 0);
    case 'state_old':
    case 'state_new':
      return tcpStateName(store, v);
    case 'cong_state':
      return TCP_CA_STATES[v] ?? String(v);
    case 'neigh_state':
      return flagNames(v, NUD_STATES).join('|');
    case 'link_flags':
      return flagNames(v, IFF_FLAGS).join('|');
    case 'pid_owner':
      return v !== 0;
  }
  return v;
}

/** JSON text of a row object; bigints (absolute ns) are written as exact integers. */
export function toJson(obj: Record<string, FieldValue>): string {
  return jsonText(obj);
}
