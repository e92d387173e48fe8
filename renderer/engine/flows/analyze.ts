import { Dir, TCP_STATES, TcpFlagBit } from '../model/enums.js';
import { errnoName } from '../model/errno.js';
import { EV, IS_DROP, type TupleGroups } from './group.js';
import type { RowFields } from './row-fields.js';
import { CookieList } from './cookie-list.js';
import { SeqTracker } from './segments.js';
import type { Sides } from './sides.js';
import { ENDS, grown, HS_HALF_OPEN, HS_SIMULTANEOUS, STATUSES, type FlowFacts } from './facts.js';
import type { FlowSummary, HandshakeStatus, ResetInfo, Side, Teardown } from './types.js';
import { RECORD } from './tuple-groups.js';

const ESTABLISHED = 1;
const SYN_SENT = 2;
const TIME_WAIT = 6;
const CLOSE = 7;
const SIDE: readonly Side[] = ['server', 'client'];

/** The reason of a drop row, or null (also for no row: −1). */
function dropReasonOf(f: RowFields, row: number): string | null {
  return row < 0 ? null : f.at(row).str('drop_reason');
}

/**
 * Working state of analyzeFlow, reused from flow to flow (a table has tens of thousands): per side
 * (index 1 = client, 0 = server) its sequence tracker, first FIN time, and counts. One object,
 * taken apart into locals by each call: its loop then reads no module bindings.
 */
const work = {
  seqOf: [new SeqTracker(), new SeqTracker()] as const,
  finTs: new Float64Array(2),
  packets: new Float64Array(2),
  bytes: new Float64Array(2),
  payload: new Float64Array(2),
  /** The client's SYN times (`synCount` of them): typed, as emptying an array drops its storage. */
  synTimes: new Float64Array(16),
  finOrder: [] as Side[],
  cookies: new CookieList(),
};

/**
 * Everything the flow list shows about one connection: rows [lo, hi) of tuple t (time order),
 * with its `sides`, written to the next flow of `facts`.
 * Handshake and teardown rules are those of docs/flows.md. `handshake.slow` for RTT outliers is
 * set by the table, which sees every flow. Writes each entry's side to `fromClient` (1 = sent by
 * or socket of the client, 0 = the server, −1 = unknown): packets and drops by their sender, other
 * rows by the socket they belong to when known (a receive carries the segment's tuple, remote →
 * local), else by the tuple's source end.
 */
export function analyzeFlow(g: TupleGroups, t: number, lo: number, hi: number, sides: Sides, f: RowFields, facts: FlowFacts, fromClientOut: Int8Array): void {
  const { clientIsA, cookieSide, outputFromA } = sides;
  const { seqOf, finTs, packets, bytes, payload, finOrder, cookies } = work;
  let synTimes = work.synTimes;
  let synCount = 0;
  // when a side's segments were seen leaving a local socket, their arrivals are not counted again
  const outputOnlyFromClient = outputFromA[clientIsA]!;
  const outputOnlyFromServer = outputFromA[1 - clientIsA]!;
  seqOf[0].reset();
  seqOf[1].reset();
  // two entries each: assigned rather than filled (a builtin call each, 50,000 times a build)
  finTs[0] = finTs[1] = -1;
  packets[0] = packets[1] = 0;
  bytes[0] = bytes[1] = 0;
  payload[0] = payload[1] = 0;
  finOrder.length = 0;
  cookies.clear();
  let retransmissions = 0;
  let kernelRetransmits = 0;
  let drops = 0;
  let synIsn = -1;
  let serverSyn = false;
  let synackTs = -1;
  let synackCount = 0;
  let ackTs = -1;
  let ackRow = -1;
  // the rows whose SYN options the summary reads
  let clientSynRow = -1;
  let serverSynRow = -1;
  let reset = null as ResetInfo | null;
  // the last drop (its reason is read from the store only when a reset needs it)
  let lastDropRow = -1;
  let lastDropTs = 0;
  let resetState: string | null = null;
  let connectErrno: string | null = null;
  let connectErrnoNumber = NaN;
  let establishedState = -1;
  let establishedRow = -1;
  let synSentState = false;
  let closedInSynSent = false;
  let closeRow = -1;
  let closeTs = -1;
  let timeWait: Side | null = null;
  let lastFinRow = -1;
  let lastFinTs = -1;
  let endRow = -1;
  let endTs = -1;
  // the side of the last socket cookie seen (rows of other sockets and cookie-less rows interleave)
  let lastCookie = 0;
  let lastCookieSide = -1;
  let firstCookie = 0;
  let procRow = -1;
  let procRank = 9;
  let direction: FlowSummary['direction'] = null;
  // bit 1 << side: a local socket of that side was seen
  let sawLocal = 0;

  const { u: gu, f: gf, rows, times } = g;
  // event indexes as locals: the loop compares every row against them
  const { pkt: PKT, retransmit: RETRANSMIT, retransmitSynack: RETRANSMIT_SYNACK, reconnect: RECONNECT, resetSent: RESET_SENT } = EV;
  const { connectError: CONNECT_ERROR, connect: CONNECT, accept: ACCEPT, state: STATE } = EV;
  const isDrop = IS_DROP;
  // record layout, flags and directions as locals too
  const { SLOTS, INFO, SEQ, SIZE, PKT_LEN, ERRNO, OWNER, HAS_PID, DIR_SHIFT, FLAGS_SHIFT, STATES_SHIFT } = RECORD;
  const { SYN, ACK, RST, FIN } = TcpFlagBit;
  const { output: OUTPUT, input: INPUT } = Dir;
  for (let i = lo; i < hi; i++) {
    const k = i * SLOTS;
    const info = gu[k + INFO]!;
    // the entry's row and time are read only where a rare row needs them (rows[i], times[i]): read
    // for every entry, they are 12 bytes of memory per entry that no cache holds
    const e = info & 0xff;
    const cookie = gf[k >> 1]!;
    if (cookie !== 0 && cookie !== lastCookie) {
      lastCookie = cookie;
      lastCookieSide = cookieSide.get(cookie, -1);
      cookies.add(cookie);
      if (firstCookie === 0) firstCookie = cookie;
    }
    const lastSide = cookie === 0 ? -1 : lastCookieSide;
    const a = (info >>> 8) & 3;
    const bySender = a === 2 ? -1 : a === clientIsA ? 1 : 0;
    const fromClient = a === 2 ? lastSide : bySender;
    fromClientOut[i] = e === PKT || isDrop[e] === 1 || lastSide < 0 ? bySender : lastSide;
    // the process: the client's socket owner first, then the server's, then any task seen
    if (info & HAS_PID && procRank > 0) {
      const rank = (info & OWNER ? 0 : 4) + (lastSide === 1 ? 0 : lastSide === 0 ? 1 : 2);
      if (rank < procRank) {
        procRank = rank;
        procRow = rows[i]!;
      }
    }
    if (e === PKT) {
      const dir = (info >>> DIR_SHIFT) & 0xff;
      const sender = fromClient === 1 ? 1 : 0;
      if (dir === OUTPUT) sawLocal |= 1 << sender;
      if (dir === INPUT) sawLocal |= 1 << (1 - sender);
      if (dir !== OUTPUT && (sender === 1 ? outputOnlyFromClient : outputOnlyFromServer)) continue;
      const flags = info >>> FLAGS_SHIFT;
      const seq = gu[k + SEQ]!;
      const size = gu[k + SIZE]!;
      packets[sender]!++;
      bytes[sender]! += gu[k + PKT_LEN]!;
      payload[sender]! += size;
      if (seqOf[sender].feed(seq, size, flags)) retransmissions++;
      const syn = (flags & SYN) !== 0;
      const ack = (flags & ACK) !== 0;
      if (syn && !ack) {
        if (sender === 1) {
          if (synIsn < 0) synIsn = seq;
          if (synCount === synTimes.length) work.synTimes = synTimes = grown(synTimes, new Float64Array(synCount * 2));
          synTimes[synCount++] = times[i]!;
          if (clientSynRow < 0) clientSynRow = rows[i]!;
        } else {
          serverSyn = true;
          if (serverSynRow < 0) serverSynRow = rows[i]!;
        }
      } else if (syn && ack) {
        if (sender === 0) {
          synackCount++;
          if (synackTs < 0) synackTs = times[i]!;
          if (serverSynRow < 0) serverSynRow = rows[i]!;
        } else {
          if (clientSynRow < 0) clientSynRow = rows[i]!;
          if (synackTs < 0) synackTs = times[i]!; // simultaneous open: the client's SYN-ACK
        }
      } else if (ack && ackTs < 0 && synackTs >= 0 && !(flags & RST) && (sender === 1 || serverSyn)) {
        ackTs = times[i]!;
        ackRow = rows[i]!;
      }
      if (flags & RST && reset === null) {
        const ts = times[i]!;
        const row = rows[i]!;
        const phase = ackTs < 0 && establishedState < 0 ? 'handshake' : finOrder.length > 0 ? 'closing' : 'established';
        const drop = lastDropRow >= 0 && ts - lastDropTs < 1e9 ? dropReasonOf(f, lastDropRow) : null;
        reset = { by: SIDE[sender]!, ts, row, phase, dropReason: drop, state: resetState };
        endRow = row;
        endTs = ts;
      }
      if (flags & FIN && finTs[sender]! < 0) {
        const ts = times[i]!;
        finTs[sender] = ts;
        finOrder.push(SIDE[sender]!);
        lastFinRow = rows[i]!;
        lastFinTs = ts;
      } else if (finOrder.length === 2 && endRow < 0 && ack && rows[i]! !== lastFinRow) {
        endRow = rows[i]!; // the ACK of the second FIN
        endTs = times[i]!;
      }
      continue;
    }
    if (isDrop[e]) {
      const ts = times[i]!;
      drops++;
      lastDropRow = rows[i]!;
      lastDropTs = ts;
      // the segment that provoked a reset is often freed just after the reset went out
      if (reset && reset.dropReason === null && ts - reset.ts < 1e9) reset = { ...reset, dropReason: dropReasonOf(f, lastDropRow) };
      continue;
    }
    const sideOf = fromClient < 0 ? null : SIDE[fromClient]!;
    switch (e) {
      case RETRANSMIT:
      case RETRANSMIT_SYNACK:
      case RECONNECT:
        kernelRetransmits++;
        break;
      case RESET_SENT: {
        const ts = times[i]!;
        resetState = TCP_STATES[(info >>> STATES_SHIFT) & 0xff] ?? null; // NO_STATE: none
        if (reset && reset.state === null && ts - reset.ts < 1e9) reset = { ...reset, state: resetState };
        break;
      }
      case CONNECT_ERROR:
        connectErrnoNumber = gu[k + ERRNO]!;
        connectErrno = errnoName(connectErrnoNumber);
        break;
      case CONNECT: {
        const err = gu[k + ERRNO]!;
        if (err !== 0) {
          connectErrnoNumber = err;
          connectErrno = errnoName(err);
        }
        sawLocal |= 2;
        break;
      }
      case ACCEPT:
        sawLocal |= 1;
        break;
      case STATE: {
        const to = (info >>> STATES_SHIFT) & 0xff;
        const from = info >>> (STATES_SHIFT + 8);
        if (to === ESTABLISHED && establishedState < 0) {
          establishedState = times[i]!;
          establishedRow = rows[i]!;
        }
        if (to === SYN_SENT) synSentState = true;
        if (from === SYN_SENT && to === CLOSE) closedInSynSent = true;
        if (to === TIME_WAIT && sideOf) timeWait = sideOf;
        if (to === CLOSE) {
          closeRow = rows[i]!;
          closeTs = times[i]!;
        }
        if (fromClient >= 0) sawLocal |= 1 << fromClient;
        break;
      }
    }
  }
  if (sawLocal & 2) direction = 'outgoing';
  else if (sawLocal & 1) direction = 'incoming';

  const synSeen = synCount > 0 || synSentState;
  // each time compared once, for every flow: a comparison made only for a rare kind of flow has no
  // type feedback when the function is optimized, and the first such flow then throws the
  // optimized code away (measured: 27 recompiles of this function, 40–70 ms each, in one bench run)
  const acked = ackTs >= 0;
  const synacked = synackTs >= 0;
  const stateEstablished = establishedState >= 0;
  let status: HandshakeStatus;
  if (acked || (stateEstablished && !synacked && synCount === 0)) status = 'established';
  else if (!synSeen && !synacked) status = stateEstablished ? 'established' : 'not_seen';
  else if (reset && reset.by === 'server' && !synacked) status = 'refused';
  else if (connectErrno === 'ECONNREFUSED') status = 'refused';
  else if (!synacked && !reset && (synCount > 1 || connectErrno === 'ETIMEDOUT' || closedInSynSent)) status = 'timeout';
  else status = 'incomplete';
  if (status === 'established' && !acked && stateEstablished) ackTs = establishedState;
  const begun = ackTs >= 0;
  const ackRowSeen = ackRow >= 0;
  const closed = closeRow >= 0;
  const bothFins = finOrder.length === 2;
  // the handshake's reset is the one seen in the packets (a refused connect's CLOSE only ends the flow)
  const handshakeReset = reset;

  if (!reset && connectErrno === 'ECONNREFUSED' && closed) {
    reset = { by: 'server', ts: closeTs, row: closeRow, phase: 'handshake', dropReason: dropReasonOf(f, lastDropRow), state: null };
  }
  const end: Teardown['end'] = reset ? 'rst' : finOrder.length > 0 ? 'fin' : closed && status === 'established' ? 'fin' : 'open';
  if (end === 'fin' && !timeWait && bothFins) timeWait = finOrder[0]!;
  if (endRow < 0 && closed) {
    endRow = closeRow;
    endTs = closeTs;
  } else if (endRow < 0 && bothFins) {
    endRow = lastFinRow;
    endTs = lastFinTs;
  }

  const id = facts.add();
  const { num, code } = facts;
  code.tuple[id] = t;
  code.clientIsA[id] = clientIsA;
  code.direction[id] = direction === null ? -1 : direction === 'outgoing' ? 1 : 0;
  code.status[id] = STATUSES.indexOf(status);
  code.synCount[id] = synCount;
  num.firstSyn[id] = synCount > 0 ? synTimes[0]! : NaN;
  if (synCount > 1) facts.synTimes.set(id, Array.from(synTimes.subarray(0, synCount)));
  code.synackCount[id] = synackCount;
  num.rttNs[id] = synCount > 0 && begun && ackRowSeen ? ackTs - synTimes[0]! : NaN;
  num.synToSynackNs[id] = synCount > 0 && synacked ? synackTs - synTimes[synCount - 1]! : NaN;
  num.synackToAckNs[id] = synacked && ackRowSeen ? ackTs - synackTs : NaN;
  num.clientSynRow[id] = clientSynRow;
  num.serverSynRow[id] = serverSynRow;
  code.bits[id] = (serverSyn && synCount > 0 ? HS_SIMULTANEOUS : 0) | (synacked && !begun && !handshakeReset && !stateEstablished ? HS_HALF_OPEN : 0);
  if (handshakeReset?.phase === 'handshake') facts.handshakeReset.set(id, handshakeReset);
  num.connectErrno[id] = connectErrnoNumber;
  code.end[id] = ENDS.indexOf(end);
  code.finBy[id] = finOrder.length === 0 ? 0 : finOrder.length === 1 ? (finOrder[0] === 'client' ? 1 : 2) : finOrder[0] === 'client' ? 3 : 4;
  if (reset) facts.teardownReset.set(id, reset);
  code.timeWait[id] = timeWait === null ? -1 : timeWait === 'client' ? 1 : 0;
  num.packetsToServer[id] = packets[1]!;
  num.packetsToClient[id] = packets[0]!;
  num.bytesToServer[id] = bytes[1]!;
  num.bytesToClient[id] = bytes[0]!;
  num.payloadToServer[id] = payload[1]!;
  num.payloadToClient[id] = payload[0]!;
  num.procRow[id] = procRow;
  num.retransmissions[id] = packets[0]! + packets[1]! > 0 ? retransmissions : kernelRetransmits;
  num.kernelRetransmits[id] = kernelRetransmits;
  num.drops[id] = drops;
  const begins = status === 'established' && begun;
  num.beginTs[id] = begins ? ackTs : NaN;
  num.beginRow[id] = begins ? (ackRowSeen ? ackRow : establishedRow) : NaN;
  const endSeen = endRow >= 0;
  const ends = end !== 'open' && endSeen;
  num.endTs[id] = ends ? endTs : NaN;
  num.endRow[id] = ends ? endRow : NaN;
  num.cookie[id] = firstCookie;
  if (cookies.size > 1) facts.cookies.set(id, cookies.list());
}
