import { TcpFlagBit } from '../model/enums.js';
import type { FlowTable } from './build.js';
import { EV } from './group.js';
import { RowFields } from './row-fields.js';
import { Observation, SeqTracker } from './segments.js';
import type { FlowSeries, Series } from './types.js';

/** Throughput buckets per flow when the caller asks for no particular number. */
export const DEFAULT_BUCKETS = 200;
export const MAX_BUCKETS = 10000;

class Points {
  readonly t: number[] = [];
  readonly v: number[] = [];
  add(t: number, v: number): void {
    this.t.push(t);
    this.v.push(v);
  }
  done(): Series {
    return { t: Float64Array.from(this.t), v: Float64Array.from(this.v) };
  }
}

/**
 * Chart series of flow `id`: throughput each way in `buckets` buckets over the flow's span,
 * sequence numbers of data segments (relative to the ISN), advertised windows (scaled by the
 * negotiated window scale, not on SYNs), retransmission marks, and the tcp.probe samples.
 */
export function flowSeries(table: FlowTable, id: number, buckets = DEFAULT_BUCKETS): FlowSeries {
  const flow = table.flow(id);
  if (!flow) throw new RangeError(`Unknown flow ${id}`);
  const f = new RowFields(table.store);
  const lo = table.start[id]!;
  const hi = table.start[id + 1]!;
  const span = Math.max(1, flow.lastTs - flow.firstTs);
  const bucketNs = Math.max(1, Math.ceil(span / buckets));
  const n = Math.floor(span / bucketNs) + 1;
  const perBucket = [new Float64Array(n), new Float64Array(n)];
  const seq = [new Points(), new Points()];
  const win = [new Points(), new Points()];
  const retrans = [new Points(), new Points()];
  const srtt = new Points();
  const cwnd = new Points();
  const rcvWnd = new Points();
  const ws = flow.handshake.wscale;
  const shift = [ws ? ws.server : 0, ws ? ws.client : 0];
  const trackers = [new SeqTracker(), new SeqTracker()];
  const obs = new Observation();
  for (let i = lo; i < hi; i++) if (f.at(table.rows[i]!).num('event') === EV.pkt) obs.note(table.fromClient[i] === 1 ? 1 : 0, f.num('direction'));
  for (let i = lo; i < hi; i++) {
    const ts = table.ts[i]!;
    f.at(table.rows[i]!);
    const e = f.num('event');
    if (e === EV.probe) {
      const s = f.num('srtt_us');
      if (!Number.isNaN(s)) srtt.add(ts, s * 1000);
      const c = f.num('snd_cwnd');
      if (!Number.isNaN(c)) cwnd.add(ts, c);
      const w = f.num('rcv_wnd');
      if (!Number.isNaN(w)) rcvWnd.add(ts, w);
      continue;
    }
    if (e !== EV.pkt) continue;
    const sender = table.fromClient[i] === 1 ? 1 : 0;
    if (!obs.counts(sender, f.num('direction'))) continue;
    const flags = f.or('tcp_flags', 0);
    const s = f.or('tcp_seq', 0);
    const len = f.or('size', 0);
    const isRetrans = trackers[sender]!.feed(s, len, flags);
    perBucket[sender]![Math.floor((ts - flow.firstTs) / bucketNs)]! += f.or('pkt_len', 0);
    const rel = trackers[sender]!.rel(s);
    if (len > 0) seq[sender]!.add(ts, rel);
    if (isRetrans) retrans[sender]!.add(ts, rel);
    if (!(flags & TcpFlagBit.SYN)) win[sender]!.add(ts, f.or('tcp_window', 0) * 2 ** shift[sender]!);
  }
  const rate = (k: number): Series => {
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      t[b] = flow.firstTs + b * bucketNs;
      v[b] = (perBucket[k]![b]! * 1e9) / bucketNs;
    }
    return { t, v };
  };
  return {
    bucketNs,
    throughputToServer: rate(1),
    throughputToClient: rate(0),
    seqToServer: seq[1]!.done(),
    seqToClient: seq[0]!.done(),
    srttNs: srtt.done(),
    cwnd: cwnd.done(),
    rcvWnd: rcvWnd.done(),
    windowToServer: win[1]!.done(),
    windowToClient: win[0]!.done(),
    retransToServer: retrans[1]!.done(),
    retransToClient: retrans[0]!.done(),
  };
}
