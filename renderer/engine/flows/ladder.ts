import { Dir, TCP_FLAGS, TCP_STATES, flagNames } from '../model/enums.js';
import { errnoName } from '../model/errno.js';
import { EVENTS } from '../model/events.js';
import type { FlowTable } from './build.js';
import { EV } from './group.js';
import { RowFields } from './row-fields.js';
import { Observation, SeqTracker } from './segments.js';
import type { FlowLadder, LadderItem, Side } from './types.js';

const SIDE: readonly Side[] = ['server', 'client'];
const FLAG_TABLE = TCP_FLAGS.map((name, i) => [1 << i, name] as const);
/** A pause longer than this and GAP_FACTOR × the median step between items is marked as a gap. */
export const GAP_MIN_NS = 100e6;
export const GAP_FACTOR = 10;
/** Ladder items returned when the caller sets no limit. */
export const DEFAULT_LADDER_LIMIT = 5000;

/** Events shown as socket-call marks on a lifeline. */
const CALLS: ReadonlySet<string> = new Set(['sock.connect', 'sock.connect_error', 'sock.accept', 'sock.send', 'sock.recv', 'sock.send_error', 'sock.recv_error', 'sock.shutdown', 'sock.disconnect']);
/** Events not drawn (tcp.probe feeds the charts; DNS over TCP is in its packets already). */
const HIDDEN: ReadonlySet<number> = new Set([EV.probe, ...EVENTS.flatMap((e, i) => (e.id.startsWith('dns.') ? [i] : []))]);

/**
 * Drop reasons of the sending path (queueing, routing, neighbours, the device): the sender's stack
 * dropped the packet. A drop for any other reason (no socket, TCP checks, receive buffers,
 * checksums…) happened where the packet arrived, so its mark goes on the receiver's lifeline.
 */
const SENDER_DROP = /^(QDISC_|TC_EGRESS|IP_OUTNOROUTES|NEIGH_|DEV_READY|DEV_HDR|FULL_RING)/;

type PacketItem = Extract<LadderItem, { kind: 'packet' }>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The ladder (sequence) diagram of flow `id`: one arrow per segment on the wire (paired with its
 * arrival at the other local socket when both ends are on this host), state changes and socket
 * calls on the lifelines, other events (retransmits, resets, drops) as marks, and gaps.
 */
export function flowLadder(table: FlowTable, id: number, limit = DEFAULT_LADDER_LIMIT): FlowLadder {
  const flow = table.flow(id);
  if (!flow) throw new RangeError(`Unknown flow ${id}`);
  const f = new RowFields(table.store);
  const lo = table.start[id]!;
  const hi = table.start[id + 1]!;
  const obs = new Observation();
  for (let i = lo; i < hi; i++) if (f.at(table.rows[i]!).num('event') === EV.pkt) obs.note(table.fromClient[i] === 1 ? 1 : 0, f.num('direction'));
  // arrivals of segments at the other local socket, to pair with their departure
  const arrivals = new Map<string, { row: number; ts: number }[]>();
  for (let i = lo; i < hi; i++) {
    f.at(table.rows[i]!);
    if (f.num('event') !== EV.pkt) continue;
    const sender = table.fromClient[i] === 1 ? 1 : 0;
    const dir = f.num('direction');
    if (obs.counts(sender, dir) || dir !== Dir.input) continue;
    const key = segmentKey(f, sender);
    const q = arrivals.get(key);
    if (q) q.push({ row: table.rows[i]!, ts: table.ts[i]! });
    else arrivals.set(key, [{ row: table.rows[i]!, ts: table.ts[i]! }]);
  }
  const seqs = [new SeqTracker(), new SeqTracker()];
  const items: LadderItem[] = [];
  let prevTs = table.ts[lo] ?? 0;
  for (let i = lo; i < hi; i++) {
    const row = table.rows[i]!;
    const ts = table.ts[i]!;
    f.at(row);
    const e = f.num('event');
    const dt = ts - prevTs;
    const s = table.fromClient[i]!;
    if (e === EV.pkt) {
      const sender = s === 1 ? 1 : 0;
      const dirN = f.num('direction');
      if (!obs.counts(sender, dirN)) continue;
      const flags = f.or('tcp_flags', 0);
      const seq = f.or('tcp_seq', 0);
      const ack = f.or('tcp_ack', 0);
      const len = f.or('size', 0);
      const retransmission = seqs[sender]!.feed(seq, len, flags);
      const peer = arrivals.get(segmentKey(f, sender))?.shift();
      const item: Mutable<PacketItem> = {
        kind: 'packet',
        row,
        ts,
        dt,
        from: SIDE[sender]!,
        observed: dirN === Dir.output ? 'output' : dirN === Dir.input ? 'input' : null,
        peerRow: peer?.row ?? -1,
        peerTs: peer?.ts ?? null,
        flags: flagNames(flags, FLAG_TABLE),
        seq,
        ack,
        relSeq: seqs[sender]!.rel(seq),
        relAck: flags & 16 ? seqs[1 - sender]!.rel(ack) : 0,
        len,
        window: f.or('tcp_window', 0),
        retransmission,
      };
      items.push(item);
    } else if (HIDDEN.has(e)) {
      continue;
    } else if (e === EV.state) {
      items.push({ kind: 'state', row, ts, dt, side: SIDE[s === 1 ? 1 : 0]!, from: TCP_STATES[f.or('state_old', 0)] ?? '', to: TCP_STATES[f.or('state_new', 0)] ?? '' });
    } else if (CALLS.has(EVENTS[e]!.id)) {
      const size = f.num('size');
      const lat = f.num('latency_ns');
      const err = f.num('errno');
      items.push({
        kind: 'call',
        row,
        ts,
        dt,
        side: SIDE[s === 1 ? 1 : 0]!,
        event: EVENTS[e]!.id,
        size: Number.isNaN(size) ? null : size,
        latencyNs: Number.isNaN(lat) ? null : lat,
        errno: Number.isNaN(err) || err === 0 ? null : errnoName(err),
      });
    } else {
      const reason = f.str('drop_reason');
      const st = f.num('state_new');
      const detail = reason ?? (Number.isNaN(st) ? '' : (TCP_STATES[st] ?? ''));
      const id = EVENTS[e]!.id;
      // a drop row's tuple is its packet's: s says who sent it
      const atReceiver = id.startsWith('drop.') && !(reason !== null && SENDER_DROP.test(reason));
      items.push({ kind: 'mark', row, ts, dt, side: s < 0 ? null : SIDE[atReceiver ? 1 - s : s]!, event: id, detail });
    }
    prevTs = ts;
  }
  const withGaps = insertGaps(items);
  return { flow, items: withGaps.slice(0, limit), truncated: Math.max(0, withGaps.length - limit) };
}

function segmentKey(f: RowFields, sender: number): string {
  return `${sender}:${f.or('tcp_seq', 0)}:${f.or('tcp_ack', 0)}:${f.or('tcp_flags', 0)}:${f.or('size', 0)}`;
}

/** A gap item before each item whose step is over GAP_MIN_NS and GAP_FACTOR × the median step. */
function insertGaps(items: LadderItem[]): LadderItem[] {
  const steps = items.map((it) => it.dt).filter((d) => d > 0).sort((a, b) => a - b);
  const median = steps.length ? steps[steps.length >> 1]! : 0;
  const threshold = Math.max(GAP_MIN_NS, GAP_FACTOR * median);
  const out: LadderItem[] = [];
  for (const it of items) {
    if (it.dt > threshold) out.push({ kind: 'gap', ts: it.ts - it.dt, dt: 0, durationNs: it.dt });
    out.push(it);
  }
  return out;
}
