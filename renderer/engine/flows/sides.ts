import { Dir, TcpFlagBit } from '../model/enums.js';
import { EV, type TupleGroups } from './group.js';
import { CookieList } from './cookie-list.js';
import { grown } from './facts.js';
import { RECORD } from './tuple-groups.js';

// imported constants as this module's own: a method run on every row then reads no imported binding
const { pkt: PKT, connect: CONNECT, connectError: CONNECT_ERROR, accept: ACCEPT, state: STATE } = EV;
const { INFO, DIR_SHIFT, FLAGS_SHIFT, STATES_SHIFT } = RECORD;
const { SYN, ACK } = TcpFlagBit;
const { output: OUTPUT, input: INPUT } = Dir;
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
  readonly cookieSide: CookieList;
  /** Per endpoint (index 1 = A, 0 = B): some of its segments were seen leaving a local socket. */
  readonly outputFromA: readonly boolean[];
}

/**
 * Finds the sides of each flow of a tuple while its rows are read in order (by splitTuple, in the
 * same pass): `add` every row of the current flow, `finish` when it ends.
 */
export class SidesFinder {
  private clientIsA = -1;
  private weak = -1;
  private outputFromB = false;
  private outputFromA = false;
  /** Per learnt row: its cookie, and fromA × 2 + (1: the socket is the row's sender). */
  // typed and counted rather than arrays emptied with `length = 0`, which drops their storage: a
  // flow's first learnt row would allocate it again, tens of thousands of times a build
  private learnCookie = new Float64Array(16);
  private learnHow = new Uint8Array(16);
  private learnt = 0;
  /** The cookie of the last segment learnt from: its next segments teach nothing more. */
  lastLearnt = 0;

  private readonly sides = { clientIsA: -1, cookieSide: new CookieList(), outputFromA: [false, false] };

  constructor(private readonly g: TupleGroups) {}

  /**
   * The next row of the current flow, by the first slot of its record (tuple-groups.ts). Given the
   * slot, not the record's cookie: a Float64 passed to a call that is not inlined is boxed, one heap
   * number per row.
   */
  add(k: number): void {
    const info = this.g.u[k + INFO]!;
    const rowCookie = this.g.f[k >> 1]!;
    const e = info & 0xff;
    const fromA = (info >>> 8) & 3;
    // a cookie's first row of each kind is enough to learn its side
    const cookie = rowCookie === this.lastLearnt ? 0 : rowCookie;
    if (e === PKT) {
      const flags = info >>> FLAGS_SHIFT;
      if (this.clientIsA < 0 && flags & SYN) this.clientIsA = flags & ACK ? 1 - fromA : fromA;
      const dir = (info >>> DIR_SHIFT) & 0xff;
      if (dir === OUTPUT) {
        if (fromA === 1) this.outputFromA = true;
        else this.outputFromB = true;
      }
      if (cookie !== 0 && (dir === OUTPUT || dir === INPUT)) {
        this.learn(cookie, fromA, dir === OUTPUT);
        this.lastLearnt = cookie;
      }
    } else if (fromA !== 2) {
      // socket-side rows: saddr/sport is the local end, except receives (the segment's tuple)
      if (e === CONNECT || e === CONNECT_ERROR) {
        if (this.weak < 0) this.weak = fromA;
        if (cookie !== 0) this.learn(cookie, fromA, true);
      } else if (e === ACCEPT) {
        // accept reports the tuple as the listener sees it: sport is the server's port
        if (this.weak < 0) this.weak = 1 - fromA;
        if (cookie !== 0) this.learn(cookie, fromA, true);
      } else if (e === STATE) {
        const to = (info >>> STATES_SHIFT) & 0xff;
        const from = info >>> (STATES_SHIFT + 8);
        if (this.weak < 0 && (to === SYN_SENT || from === SYN_SENT)) this.weak = fromA;
        if (this.weak < 0 && (to === SYN_RECV || from === SYN_RECV || from === LISTEN)) this.weak = 1 - fromA;
        if (cookie !== 0) this.learn(cookie, fromA, true);
      }
    }
  }

  /** The next row of the current flow, a segment without SYN whose cookie is `lastLearnt` (what `add` does for it). */
  segment(info: number): void {
    if (((info >>> DIR_SHIFT) & 0xff) === OUTPUT) {
      if (((info >>> 8) & 3) === 1) this.outputFromA = true;
      else this.outputFromB = true;
    }
  }

  private learn(cookie: number, fromA: number, asSender: boolean): void {
    const n = this.learnt++;
    if (n === this.learnHow.length) {
      this.learnCookie = grown(this.learnCookie, new Float64Array(n * 2));
      this.learnHow = grown(this.learnHow, new Uint8Array(n * 2));
    }
    this.learnCookie[n] = cookie;
    this.learnHow[n] = fromA * 2 + (asSender ? 1 : 0);
  }

  /**
   * The sides of the flow added since the last finish (of tuple t), and starts the next flow. The
   * object is the finder's own, rewritten by the next finish (a table has tens of thousands of flows).
   */
  finish(t: number): Sides {
    let clientIsA = this.clientIsA >= 0 ? this.clientIsA : this.weak;
    if (clientIsA < 0) {
      const tuple = this.g.tuples[t]!;
      clientIsA = tuple.aPort >= tuple.bPort ? 1 : 0;
    }
    const cookieSide = this.sides.cookieSide;
    cookieSide.clear();
    for (let k = 0; k < this.learnt; k++) {
      const cookie = this.learnCookie[k]!;
      if (cookieSide.has(cookie)) continue;
      const how = this.learnHow[k]!;
      const senderIsClient = how >> 1 === clientIsA ? 1 : 0;
      cookieSide.add(cookie, how & 1 ? senderIsClient : 1 - senderIsClient);
    }
    const sides = this.sides;
    sides.clientIsA = clientIsA;
    sides.outputFromA[0] = this.outputFromB;
    sides.outputFromA[1] = this.outputFromA;
    this.clientIsA = -1;
    this.weak = -1;
    this.outputFromB = false;
    this.outputFromA = false;
    this.learnt = 0;
    this.lastLearnt = 0;
    return sides;
  }
}
