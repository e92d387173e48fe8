/**
 * The event catalog of EVENTS.md as one table: id, class, priority, description, analog names,
 * kernel sources and the fields each event carries. The `event` column stores the index of an
 * event in EVENTS; ids are what users type and read.
 */
import type { FieldKey } from './fields.js';

export type EventClass = 'core' | 'aux';
export const CLASSES: readonly EventClass[] = ['core', 'aux'];

/** Priority names, index = priority number − 1 (EMERGENCY = 1 … VERBOSE = 8). */
export const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'VERBOSE'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

export interface EventDef {
  readonly id: string;
  readonly class: EventClass;
  /** 1 (EMERGENCY) … 8 (VERBOSE). */
  readonly priority: number;
  /** Our own one-paragraph description. */
  readonly description: string;
  /** WindView event names and seed-tool names users may search for. */
  readonly analogs: readonly string[];
  /** Kernel sources, best first (`fexit:tcp_sendmsg`, `tp:sock:sock_send_length`…), or how it is derived. */
  readonly sources: readonly string[];
  /** Fields the event carries besides the common ones (ts_ns, event, cpu, pid, tid, comm…). */
  readonly fields: readonly FieldKey[];
}

const P = { EMERGENCY: 1, ALERT: 2, CRITICAL: 3, ERROR: 4, WARNING: 5, NOTICE: 6, INFO: 7, VERBOSE: 8 } as const;

const e = (
  id: string,
  cls: EventClass,
  priority: number,
  description: string,
  analogs: readonly string[] = [],
  sources: readonly string[] = [],
  fields: readonly FieldKey[] = [],
): EventDef => ({ id, class: cls, priority, description, analogs, sources, fields });

// Descriptions, analogs, sources and fields are filled in by the catalog work (see docs/events.md).
export const EVENTS: readonly EventDef[] = [
  e('sock.send', 'core', P.INFO, ''),
  e('sock.recv', 'core', P.INFO, ''),
  e('sock.send_error', 'core', P.CRITICAL, ''),
  e('sock.recv_error', 'core', P.CRITICAL, ''),
  e('tcp.retransmit', 'core', P.WARNING, ''),
  e('tcp.retransmit_synack', 'core', P.WARNING, ''),
  e('tcp.reconnect', 'core', P.WARNING, ''),
  e('tcp.reset_sent', 'core', P.WARNING, ''),
  e('tcp.reset_received', 'core', P.WARNING, ''),
  e('tcp.bad_csum', 'core', P.CRITICAL, ''),
  e('tcp.probe', 'core', P.VERBOSE, ''),
  e('pkt.tcp', 'core', P.INFO, ''),
  e('pkt.udp', 'core', P.INFO, ''),
  e('pkt.icmp', 'core', P.NOTICE, ''),
  e('pkt.ip', 'core', P.VERBOSE, ''),
  e('dns.query', 'core', P.INFO, ''),
  e('dns.answer', 'core', P.INFO, ''),
  e('drop.nomem', 'core', P.EMERGENCY, ''),
  e('drop.checksum', 'core', P.CRITICAL, ''),
  e('drop.malformed', 'core', P.CRITICAL, ''),
  e('drop.no_route', 'core', P.CRITICAL, ''),
  e('drop.device', 'core', P.CRITICAL, ''),
  e('drop.no_socket', 'core', P.WARNING, ''),
  e('drop.queue_full', 'core', P.WARNING, ''),
  e('drop.filter', 'core', P.NOTICE, ''),
  e('drop.tcp', 'core', P.NOTICE, ''),
  e('drop.other', 'core', P.VERBOSE, ''),
  e('udp.rcvbuf_full', 'core', P.WARNING, ''),
  e('sock.rcvqueue_full', 'core', P.WARNING, ''),
  e('sock.mem_limit', 'core', P.EMERGENCY, ''),
  e('dev.xmit', 'core', P.VERBOSE, ''),
  e('dev.recv', 'core', P.VERBOSE, ''),
  e('dev.xmit_timeout', 'core', P.ALERT, ''),
  e('sock.connect', 'aux', P.NOTICE, ''),
  e('sock.connect_error', 'aux', P.ERROR, ''),
  e('sock.accept', 'aux', P.NOTICE, ''),
  e('sock.disconnect', 'aux', P.NOTICE, ''),
  e('sock.bind', 'aux', P.INFO, ''),
  e('sock.bind_error', 'aux', P.ERROR, ''),
  e('sock.listen', 'aux', P.INFO, ''),
  e('sock.listen_error', 'aux', P.ERROR, ''),
  e('sock.shutdown', 'aux', P.INFO, ''),
  e('tcp.state', 'aux', P.INFO, ''),
  e('tcp.cong_state', 'aux', P.NOTICE, ''),
  e('flow.tcp_begin', 'aux', P.NOTICE, ''),
  e('flow.tcp_end', 'aux', P.NOTICE, ''),
  e('icmp.error_sent', 'aux', P.WARNING, ''),
  e('neigh.create', 'aux', P.INFO, ''),
  e('neigh.update', 'aux', P.INFO, ''),
  e('neigh.failed', 'aux', P.CRITICAL, ''),
  e('neigh.release', 'aux', P.VERBOSE, ''),
  e('route.lookup', 'aux', P.VERBOSE, ''),
  e('route.unreachable', 'aux', P.CRITICAL, ''),
  e('route.change', 'aux', P.NOTICE, ''),
  e('link.up', 'aux', P.NOTICE, ''),
  e('link.down', 'aux', P.WARNING, ''),
  e('addr.add', 'aux', P.NOTICE, ''),
  e('addr.remove', 'aux', P.NOTICE, ''),
  e('qdisc.create', 'aux', P.VERBOSE, ''),
  e('qdisc.destroy', 'aux', P.VERBOSE, ''),
  e('capture.lost', 'aux', P.ALERT, ''),
];

export const EVENT_INDEX: ReadonlyMap<string, number> = new Map(EVENTS.map((d, i) => [d.id, i]));

/** Index of event `id` in EVENTS; throws for an id the catalog does not have (a programming error). */
export function eventIndex(id: string): number {
  const i = EVENT_INDEX.get(id);
  if (i === undefined) throw new Error(`unknown event id ${id}`);
  return i;
}

/** Number of timeline lanes: 2 classes × 8 priorities, WindView order (core first, EMERGENCY first). */
export const LANE_COUNT = 16;

/** Lane of each event index: class × 8 + (priority − 1). */
export const LANE_OF_EVENT: Uint8Array = Uint8Array.from(EVENTS, (d) => CLASSES.indexOf(d.class) * 8 + d.priority - 1);

export function laneName(lane: number): string {
  return `${CLASSES[lane >> 3]} · ${PRIORITIES[lane & 7]}`;
}
