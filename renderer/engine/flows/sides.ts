import { Dir, TcpFlagBit } from '../model/enums.js';
import { EV, type TupleGroups } from './group.js';
import { FLAGS, INFO, SLOTS, STATES } from './tuple-groups.js';

const SYN_SENT = 2;
const SYN_RECV = 3;
const LISTEN = 10;

/**
 * Which endpoint of a flow is the client (1 = A, 0 = B) and which side each local socket is.
 * The client is the sender of the first SYN without ACK, else the receiver of the first SYN-ACK,
 * else the local end of a connect (or the remote end of an accept, or the socket of a SYN_SENT /
 * SYN_RECV state), else the end with the higher port (services listen on the lower one).
 */
export interface Sides {
  readonly clientIsA: number;
  /** Socket cookie → 1 (client's socket) or 0 (server's). */
  readonly cookieSide: ReadonlyMap<number, number>;
  /** Per endpoint (index 1 = A, 0 = B): some of its segments were seen leaving a local socket. */
  readonly outputFromA: readonly boolean[];
}

export function findSides(g: TupleGroups, t: number, lo: number, hi: number): Sides {
  let clientIsA = -1;
  let weak = -1;
  const cookieSide = new Map<number, number>();
  const outputFromA = [false, false];
  const learn: { cookie: number; fromA: number; asSender: boolean }[] = [];
  let lastCookie = 0;
  const { u: gu, f: gf } = g;
  for (let i = lo; i < hi; i++) {
    const k = i * SLOTS;
    const info = gu[k + INFO]!;
    const e = info & 0xff;
    const fromA = ((info >>> 8) & 3);
    // a cookie's first row of each kind is enough to learn its side
    const cookie = gf[k >> 1]! === lastCookie ? 0 : gf[k >> 1]!;
    if (e === EV.pkt) {
      const flags = gu[k + FLAGS]!;
      const syn = flags & TcpFlagBit.SYN;
      if (clientIsA < 0 && syn) clientIsA = flags & TcpFlagBit.ACK ? 1 - fromA : fromA;
      const dir = info >>> 16;
      if (dir === Dir.output) outputFromA[fromA] = true;
      if (cookie !== 0 && (dir === Dir.output || dir === Dir.input)) {
        learn.push({ cookie, fromA, asSender: dir === Dir.output });
        lastCookie = cookie;
      }
    } else if (fromA !== 2) {
      // socket-side rows: saddr/sport is the local end, except receives (the segment's tuple)
      if (e === EV.connect || e === EV.connectError) {
        if (weak < 0) weak = fromA;
        if (cookie !== 0) learn.push({ cookie, fromA, asSender: true });
      } else if (e === EV.accept) {
        // accept reports the tuple as the listener sees it: sport is the server's port
        if (weak < 0) weak = 1 - fromA;
        if (cookie !== 0) learn.push({ cookie, fromA, asSender: true });
      } else if (e === EV.state) {
        const to = gu[k + STATES]! & 0xff;
        const from = gu[k + STATES]! >>> 8;
        if (weak < 0 && (to === SYN_SENT || from === SYN_SENT)) weak = fromA;
        if (weak < 0 && (to === SYN_RECV || from === SYN_RECV || from === LISTEN)) weak = 1 - fromA;
        if (cookie !== 0) learn.push({ cookie, fromA, asSender: true });
      }
    }
  }
  if (clientIsA < 0) clientIsA = weak;
  if (clientIsA < 0) {
    const tuple = g.tuples[t]!;
    clientIsA = tuple.aPort >= tuple.bPort ? 1 : 0;
  }
  for (const l of learn) {
    if (cookieSide.has(l.cookie)) continue;
    const senderIsClient = l.fromA === clientIsA ? 1 : 0;
    cookieSide.set(l.cookie, l.asSender ? senderIsClient : 1 - senderIsClient);
  }
  return { clientIsA, cookieSide, outputFromA };
}
