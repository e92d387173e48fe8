import { Dir, TcpFlagBit } from '../model/enums.js';

// flag bits as this module's own constants: feed runs on every segment
const { SYN, FIN } = TcpFlagBit;

/** a < b in TCP sequence space (mod 2^32). */
export const seqLt = (a: number, b: number): boolean => ((a - b) | 0) < 0;

/**
 * Tracks one direction of a connection the way tshark's TCP analysis does, simplified: a segment
 * that occupies sequence space (payload, SYN or FIN) and starts below the highest sequence number
 * already sent is a retransmission, unless it is a keep-alive (≤ 1 byte at next − 1).
 */
export class SeqTracker {
  /** Next sequence number after the highest byte sent, or −1 before the first segment. */
  next = -1;
  /**
   * Base of relative seqs: the SYN's seq, else (a side seen without its SYN, e.g. the RST answering
   * a refused connect) the first seq seen − 1, as tshark counts: that segment is seq 1.
   */
  isn = -1;

  /** Back to before the first segment. */
  reset(): void {
    this.next = -1;
    this.isn = -1;
  }

  /** Feeds one segment; true when it is a retransmission. */
  feed(seq: number, len: number, flags: number): boolean {
    const syn = flags & SYN ? 1 : 0;
    const fin = flags & FIN ? 1 : 0;
    const span = len + syn + fin;
    if (this.isn < 0) this.isn = syn ? seq : (seq - 1) >>> 0;
    let retrans = false;
    if (span > 0 && this.next >= 0 && seqLt(seq, this.next)) {
      const keepAlive = !syn && !fin && len <= 1 && ((seq + 1) >>> 0) === this.next;
      retrans = !keepAlive;
    }
    const end = (seq + span) >>> 0;
    if (this.next < 0 || seqLt(this.next, end)) this.next = end;
    return retrans;
  }

  /** seq relative to the ISN. */
  rel(seq: number): number {
    return this.isn < 0 ? seq : (seq - this.isn) >>> 0;
  }
}

/**
 * Which packet rows count as the segments of a flow: when a sender's segments were seen leaving a
 * local socket (output), their arrival at another local socket (input) is the same segment again
 * and is not counted; otherwise every observation counts (imports, remote senders).
 */
export class Observation {
  private readonly outputFrom = [false, false];

  note(senderIsClient: number, dir: number): void {
    if (dir === Dir.output) this.outputFrom[senderIsClient] = true;
  }

  counts(senderIsClient: number, dir: number): boolean {
    return !this.outputFrom[senderIsClient] || dir === Dir.output;
  }
}
