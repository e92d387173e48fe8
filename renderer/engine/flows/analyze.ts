import { Dir, TCP_STATES, TcpFlagBit, TcpOpt } from '../model/enums.js';
import { errnoName } from '../model/errno.js';
import { EV, IS_DROP, type TupleGroups } from './group.js';
import type { RowFields } from './row-fields.js';
import { Observation, SeqTracker } from './segments.js';
import type { Sides } from './sides.js';
import type { FlowSummary, Handshake, HandshakeStatus, ResetInfo, Side, SynOptions, Teardown } from './types.js';
import { FLAGS, INFO, OWNER, PID, PKT_LEN, SEQ, SIZE, SLOTS, STATES } from './tuple-groups.js';

const ESTABLISHED = 1;
const SYN_SENT = 2;
const TIME_WAIT = 6;
const CLOSE = 7;
const SIDE: readonly Side[] = ['server', 'client'];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function synOptions(f: RowFields, flags: number, isClient: boolean): SynOptions {
  const opts = f.or('tcp_options', 0);
  const ece = (flags & TcpFlagBit.ECE) !== 0;
  return {
    mss: opts & TcpOpt.MSS ? f.or('tcp_mss', 0) : null,
    wscale: opts & TcpOpt.WSCALE ? f.or('tcp_wscale', 0) : null,
    sack: (opts & TcpOpt.SACK_PERM) !== 0,
    timestamps: (opts & TcpOpt.TIMESTAMPS) !== 0,
    ecn: isClient ? ece && (flags & TcpFlagBit.CWR) !== 0 : ece,
  };
}

/** The reason of a drop row, or null (also for no row: −1). */
function dropReasonOf(f: RowFields, row: number): string | null {
  return row < 0 ? null : f.at(row).str('drop_reason');
}

/** Per side (index 1 = client, 0 = server). */
interface SideState {
  seq: SeqTracker;
  fin: number;
}

/**
 * Everything the flow list shows about one connection: rows [lo, hi) of tuple t (time order),
 * with its `sides`.
 * Handshake and teardown rules are those of docs/flows.md. `handshake.slow` for RTT outliers is
 * set by the table, which sees every flow. Writes each entry's side to `fromClient` (1 = sent by
 * or socket of the client, 0 = the server, −1 = unknown): packets and drops by their sender, other
 * rows by the socket they belong to when known (a receive carries the segment's tuple, remote →
 * local), else by the tuple's source end.
 */
export function analyzeFlow(g: TupleGroups, t: number, lo: number, hi: number, sides: Sides, f: RowFields, id: number, fromClientOut: Int8Array): FlowSummary {
  const store = f.store;
  const tuple = g.tuples[t]!;
  const { clientIsA, cookieSide, outputFromA } = sides;
  const addrs = store.dicts.addrs;
  const cAddr = clientIsA ? tuple.aAddr : tuple.bAddr;
  const sAddr = clientIsA ? tuple.bAddr : tuple.aAddr;
  const obs = new Observation();
  if (outputFromA[clientIsA]) obs.note(1, Dir.output);
  if (outputFromA[1 - clientIsA]) obs.note(0, Dir.output);
  const side: SideState[] = [
    { seq: new SeqTracker(), fin: -1 },
    { seq: new SeqTracker(), fin: -1 },
  ];
  const packets = [0, 0];
  const bytes = [0, 0];
  const payload = [0, 0];
  let retransmissions = 0;
  let kernelRetransmits = 0;
  let drops = 0;
  const synTimes: number[] = [];
  let synIsn = -1;
  let serverSyn = false;
  let synackTs = -1;
  let synackCount = 0;
  let ackTs = -1;
  let ackRow = -1;
  let clientOpts = null as SynOptions | null;
  let serverOpts = null as SynOptions | null;
  let reset = null as ResetInfo | null;
  // the last drop (its reason is read from the store only when a reset needs it)
  let lastDropRow = -1;
  let lastDropTs = 0;
  let resetState: string | null = null;
  let connectErrno: string | null = null;
  let establishedState = -1;
  let establishedRow = -1;
  let synSentState = false;
  let closedInSynSent = false;
  let closeRow = -1;
  let closeTs = -1;
  let timeWait: Side | null = null;
  const finOrder: Side[] = [];
  let lastFinRow = -1;
  let lastFinTs = -1;
  let endRow = -1;
  let endTs = -1;
  const cookies = new Set<number>();
  // the side of the last socket cookie seen (rows of other sockets and cookie-less rows interleave)
  let lastCookie = 0;
  let lastCookieSide = -1;
  let pid: number | null = null;
  let procRow = -1;
  let procRank = 9;
  let direction: FlowSummary['direction'] = null;
  const sawLocal = [false, false];

  const { u: gu, f: gf, rows, times } = g;
  for (let i = lo; i < hi; i++) {
    const k = i * SLOTS;
    const info = gu[k + INFO]!;
    const row = rows[i]!;
    const ts = times[i]!;
    const e = info & 0xff;
    const cookie = gf[k >> 1]!;
    if (cookie !== 0 && cookie !== lastCookie) {
      lastCookie = cookie;
      lastCookieSide = cookieSide.get(cookie) ?? -1;
      cookies.add(cookie);
    }
    const lastSide = cookie === 0 ? -1 : lastCookieSide;
    const a = (info >>> 8) & 3;
    const bySender = a === 2 ? -1 : a === clientIsA ? 1 : 0;
    const fromClient = a === 2 ? lastSide : bySender;
    fromClientOut[i] = e === EV.pkt || IS_DROP[e] === 1 || lastSide < 0 ? bySender : lastSide;
    // the process: the client's socket owner first, then the server's, then any task seen
    const rowPid = gu[k + PID]!;
    if (rowPid !== 0 && procRank > 0) {
      const rank = (info & OWNER ? 0 : 4) + (lastSide === 1 ? 0 : lastSide === 0 ? 1 : 2);
      if (rank < procRank) {
        procRank = rank;
        pid = rowPid;
        procRow = row;
      }
    }
    if (e === EV.pkt) {
      const dir = info >>> 16;
      const sender = fromClient === 1 ? 1 : 0;
      if (dir === Dir.output) sawLocal[sender] = true;
      if (dir === Dir.input) sawLocal[1 - sender] = true;
      if (!obs.counts(sender, dir)) continue;
      const flags = gu[k + FLAGS]!;
      const seq = gu[k + SEQ]!;
      const size = gu[k + SIZE]!;
      packets[sender]!++;
      bytes[sender]! += gu[k + PKT_LEN]!;
      payload[sender]! += size;
      if (side[sender]!.seq.feed(seq, size, flags)) retransmissions++;
      const syn = (flags & TcpFlagBit.SYN) !== 0;
      const ack = (flags & TcpFlagBit.ACK) !== 0;
      if (syn && !ack) {
        if (sender === 1) {
          if (synIsn < 0) synIsn = seq;
          synTimes.push(ts);
          clientOpts ??= synOptions(f.at(row), flags, true);
        } else {
          serverSyn = true;
          serverOpts ??= synOptions(f.at(row), flags, false);
        }
      } else if (syn && ack) {
        if (sender === 0) {
          synackCount++;
          if (synackTs < 0) synackTs = ts;
          serverOpts ??= synOptions(f.at(row), flags, false);
        } else {
          clientOpts ??= synOptions(f.at(row), flags, true);
          if (synackTs < 0) synackTs = ts; // simultaneous open: the client's SYN-ACK
        }
      } else if (ack && ackTs < 0 && synackTs >= 0 && !(flags & TcpFlagBit.RST) && (sender === 1 || serverSyn)) {
        ackTs = ts;
        ackRow = row;
      }
      if (flags & TcpFlagBit.RST && reset === null) {
        const phase = ackTs < 0 && establishedState < 0 ? 'handshake' : finOrder.length > 0 ? 'closing' : 'established';
        const drop = lastDropRow >= 0 && ts - lastDropTs < 1e9 ? dropReasonOf(f, lastDropRow) : null;
        reset = { by: SIDE[sender]!, ts, row, phase, dropReason: drop, state: resetState };
        endRow = row;
        endTs = ts;
      }
      if (flags & TcpFlagBit.FIN && side[sender]!.fin < 0) {
        side[sender]!.fin = ts;
        finOrder.push(SIDE[sender]!);
        lastFinRow = row;
        lastFinTs = ts;
      } else if (finOrder.length === 2 && endRow < 0 && ack && row !== lastFinRow) {
        endRow = row; // the ACK of the second FIN
        endTs = ts;
      }
      continue;
    }
    if (IS_DROP[e]) {
      drops++;
      lastDropRow = row;
      lastDropTs = ts;
      // the segment that provoked a reset is often freed just after the reset went out
      if (reset && reset.dropReason === null && ts - reset.ts < 1e9) reset = { ...reset, dropReason: dropReasonOf(f, lastDropRow) };
      continue;
    }
    const sideOf = fromClient < 0 ? null : SIDE[fromClient]!;
    switch (e) {
      case EV.retransmit:
      case EV.retransmitSynack:
      case EV.reconnect:
        kernelRetransmits++;
        break;
      case EV.resetSent: {
        resetState = TCP_STATES[gu[k + STATES]! & 0xff] ?? null; // NO_STATE: none
        if (reset && reset.state === null && ts - reset.ts < 1e9) reset = { ...reset, state: resetState };
        break;
      }
      case EV.connectError:
        connectErrno = errnoName(f.at(row).or('errno', 0));
        break;
      case EV.connect: {
        const err = f.at(row).num('errno');
        if (!Number.isNaN(err) && err !== 0) connectErrno = errnoName(err);
        sawLocal[1] = true;
        break;
      }
      case EV.accept:
        sawLocal[0] = true;
        break;
      case EV.state: {
        const to = gu[k + STATES]! & 0xff;
        const from = gu[k + STATES]! >>> 8;
        if (to === ESTABLISHED && establishedState < 0) {
          establishedState = ts;
          establishedRow = row;
        }
        if (to === SYN_SENT) synSentState = true;
        if (from === SYN_SENT && to === CLOSE) closedInSynSent = true;
        if (to === TIME_WAIT && sideOf) timeWait = sideOf;
        if (to === CLOSE) {
          closeRow = row;
          closeTs = ts;
        }
        if (sideOf) sawLocal[SIDE.indexOf(sideOf)] = true;
        break;
      }
    }
  }
  if (sawLocal[1]) direction = 'outgoing';
  else if (sawLocal[0]) direction = 'incoming';

  const synSeen = synTimes.length > 0 || synSentState;
  let status: HandshakeStatus;
  if (ackTs >= 0 || (establishedState >= 0 && synackTs < 0 && synTimes.length === 0)) status = 'established';
  else if (!synSeen && synackTs < 0) status = establishedState >= 0 ? 'established' : 'not_seen';
  else if (reset && reset.by === 'server' && synackTs < 0) status = 'refused';
  else if (connectErrno === 'ECONNREFUSED') status = 'refused';
  else if (synackTs < 0 && !reset && (synTimes.length > 1 || connectErrno === 'ETIMEDOUT' || closedInSynSent)) status = 'timeout';
  else status = 'incomplete';
  if (status === 'established' && ackTs < 0 && establishedState >= 0) ackTs = establishedState;

  const both = clientOpts && serverOpts ? { c: clientOpts, s: serverOpts } : null;
  const handshake: Mutable<Handshake> = {
    status,
    synRetransmits: Math.max(0, synTimes.length - 1),
    synTimes,
    synackRetransmits: Math.max(0, synackCount - 1),
    rttNs: synTimes.length > 0 && ackTs >= 0 && ackRow >= 0 ? ackTs - synTimes[0]! : null,
    synToSynackNs: synTimes.length > 0 && synackTs >= 0 ? synackTs - synTimes[synTimes.length - 1]! : null,
    synackToAckNs: synackTs >= 0 && ackRow >= 0 ? ackTs - synackTs : null,
    mss: minOf(clientOpts?.mss ?? null, serverOpts?.mss ?? null),
    wscale: both && both.c.wscale !== null && both.s.wscale !== null ? { client: both.c.wscale, server: both.s.wscale } : null,
    sack: !!both && both.c.sack && both.s.sack,
    timestamps: !!both && both.c.timestamps && both.s.timestamps,
    ecn: !!both && both.c.ecn && both.s.ecn,
    client: clientOpts,
    server: serverOpts,
    simultaneousOpen: serverSyn && synTimes.length > 0,
    halfOpen: synackTs >= 0 && ackTs < 0 && !reset && establishedState < 0,
    slow: synTimes.length > 1 || synackCount > 1,
    reset: reset && reset.phase === 'handshake' ? reset : null,
    connectErrno,
  };
  if (!reset && connectErrno === 'ECONNREFUSED' && closeRow >= 0) {
    reset = { by: 'server', ts: closeTs, row: closeRow, phase: 'handshake', dropReason: dropReasonOf(f, lastDropRow), state: null };
  }
  const end: Teardown['end'] = reset ? 'rst' : finOrder.length > 0 ? 'fin' : closeRow >= 0 && status === 'established' ? 'fin' : 'open';
  if (end === 'fin' && !timeWait && finOrder.length === 2) timeWait = finOrder[0]!;
  if (endRow < 0 && closeRow >= 0) {
    endRow = closeRow;
    endTs = closeTs;
  } else if (endRow < 0 && finOrder.length === 2) {
    endRow = lastFinRow;
    endTs = lastFinTs;
  }
  const teardown: Teardown = { end, finBy: finOrder, reset, timeWait };
  const summary: FlowSummary = {
    id,
    proto: 'tcp',
    ipver: addrs.version(cAddr),
    client: { addr: addrs.text(cAddr), port: clientIsA ? tuple.aPort : tuple.bPort },
    server: { addr: addrs.text(sAddr), port: clientIsA ? tuple.bPort : tuple.aPort },
    direction,
    serverNames: store.dns.namesOf(sAddr),
    cookies: [...cookies],
    firstTs: times[lo]!,
    lastTs: times[hi - 1]!,
    rowCount: hi - lo,
    firstRow: rows[lo]!,
    packets: packets[0]! + packets[1]!,
    packetsToServer: packets[1]!,
    packetsToClient: packets[0]!,
    bytesToServer: bytes[1]!,
    bytesToClient: bytes[0]!,
    payloadToServer: payload[1]!,
    payloadToClient: payload[0]!,
    pid,
    comm: procRow < 0 ? null : f.at(procRow).str('comm'),
    handshake,
    teardown,
    retransmissions: packets[0]! + packets[1]! > 0 ? retransmissions : kernelRetransmits,
    kernelRetransmits,
    drops,
    begin: status === 'established' && ackTs >= 0 ? { ts: ackTs, row: ackRow >= 0 ? ackRow : establishedRow } : null,
    endAt: end !== 'open' && endRow >= 0 ? { ts: endTs, row: endRow } : null,
  };
  return summary;
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
