import { TcpFlagBit } from '../model/enums.js';
import { EVENTS } from '../model/events.js';
import { EV, type TupleGroups } from './group.js';
import { CookieList } from './cookie-list.js';
import type { Sides, SidesFinder } from './sides.js';
import { RECORD } from './tuple-groups.js';

const TCP_CLOSE = 7;
const TCP_TIME_WAIT = 6;
const TCP_SYN_SENT = 2;

/**
 * Events that neither cut a tuple nor tell the sides finder anything (all but packets, connects,
 * accepts and state changes): only their socket cookie matters.
 */
const PASSIVE = Uint8Array.from(EVENTS, (_, e) => (e === EV.pkt || e === EV.connect || e === EV.connectError || e === EV.accept || e === EV.state ? 0 : 1));

/**
 * Receives each connection of a tuple as soon as it is cut: entries [lo, hi) with its sides. An
 * object rather than a function: a build's new closure would be another call target for the
 * optimized splitTuple, which V8 then throws away.
 */
export interface FlowSink {
  flow(lo: number, hi: number, sides: Sides): void;
}

/** The sockets of the flow being cut, reused from tuple to tuple (splitTuple runs one tuple at a time). */
const TUPLE_COOKIES = new CookieList();

/**
 * Cuts one tuple's rows (time order) into connections, handing each to `onFlow` as soon as its
 * end is known, with its sides (found by `finder` in the same pass): the flow's records are still
 * in the cache when it is analysed.
 * A new connection starts at
 * - a SYN (without ACK) whose ISN differs from the SYN the current connection began with, from the
 *   same side (the other side's SYN is a simultaneous open), or any SYN once the current one ended;
 * - a connect (sock.connect, tcp.state →SYN_SENT) by a socket cookie the current connection has
 *   not seen, once it ended (the port reused by a new socket; live captures without packets).
 * Ended = RST seen, FIN seen both ways, or a socket of it reached CLOSE or TIME_WAIT.
 */
export function splitTuple(g: TupleGroups, t: number, finder: SidesFinder, onFlow: FlowSink): void {
  const lo = g.start[t]!;
  const hi = g.start[t + 1]!;
  let flowLo = lo;
  let synIsn = -1;
  let synFrom = -1;
  let ended = false;
  let fins = 0;
  const cookies = TUPLE_COOKIES;
  cookies.clear();
  let lastCookie = -1;
  const { u: gu, f: gf } = g;
  const { pkt: PKT, connect: CONNECT, state: STATE } = EV;
  // constants as locals: the loop reads no imported binding
  const { SLOTS, INFO, SEQ, FLAGS_SHIFT, STATES_SHIFT } = RECORD;
  const { SYN, ACK, RST, FIN } = TcpFlagBit;
  const passive = PASSIVE;
  for (let i = lo; i < hi; i++) {
    const k = i * SLOTS;
    const info = gu[k + INFO]!;
    const e = info & 0xff;
    const cookie = gf[k >> 1]!;
    const flags = e === PKT ? info >>> FLAGS_SHIFT : 0;
    if (e === PKT && (flags & (SYN | RST | FIN)) === 0 && cookie === lastCookie && cookie === finder.lastLearnt) {
      // most rows: a segment without SYN, RST or FIN of the socket seen last, which cuts nothing
      // and tells the sides finder only whether it was seen leaving
      finder.segment(info);
      continue;
    }
    // and socket calls, probes, retransmits, drops… of that socket (or of none): nothing to note
    if (passive[e] === 1 && (cookie === lastCookie || cookie === 0)) continue;
    const from = (info >>> 8) & 3;
    const synOnly = (flags & (SYN | ACK)) === SYN;
    const to = (info >>> STATES_SHIFT) & 0xff;
    let startsNew = false;
    if (synOnly) startsNew = ended || (synIsn >= 0 && synFrom === from && gu[k + SEQ]! !== synIsn);
    else if (e === CONNECT || (e === STATE && to === TCP_SYN_SENT)) startsNew = ended && cookie !== 0 && cookies.size > 0 && !cookies.has(cookie);
    if (startsNew) {
      if (i > flowLo) {
        onFlow.flow(flowLo, i, finder.finish(t));
        flowLo = i;
      }
      synIsn = -1;
      synFrom = -1;
      ended = false;
      fins = 0;
      cookies.clear();
      lastCookie = -1;
    }
    if (e === PKT) {
      if (synOnly && synIsn < 0) {
        synIsn = gu[k + SEQ]!;
        synFrom = from;
      }
      if (flags & RST) ended = true;
      if (flags & FIN) {
        fins |= from === 1 ? 1 : 2;
        if (fins === 3) ended = true;
      }
    } else if (e === STATE && (to === TCP_CLOSE || to === TCP_TIME_WAIT)) {
      ended = true;
    }
    if (cookie !== 0 && cookie !== lastCookie) {
      cookies.add(cookie);
      lastCookie = cookie;
    }
    finder.add(k);
  }
  onFlow.flow(flowLo, hi, finder.finish(t));
}
