import { InputError } from '../../errors.js';
import type { ByteQueue } from './byte-queue.js';
import type { PacketDecoder } from './packet-decoder.js';
import type { PacketRows } from './packet-rows.js';

/** Largest record accepted: bounds memory on a damaged length (libpcap's own limit is 256 KiB). */
export const MAX_RECORD_BYTES = 16 << 20;

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes per record header (ifindex, protocol, type). */
const MAGIC_KUZNETZOV = 0xa1b2cd34;

/**
 * The classic libpcap format: a 24-byte file header (magic gives byte order and µs/ns), then
 * records of a 16-byte header and the captured bytes. Times are wall-clock.
 */
export class PcapReader {
  private headerDone = false;
  private le = true;
  private nsPerFrac = 1000;
  private recordHeader = 16;
  private linkType = 0;
  private baseSec = 0;
  private baseFracNs = 0;
  private started = false;
  packets = 0;

  constructor(
    private readonly q: ByteQueue,
    private readonly rows: PacketRows,
    private readonly decoder: PacketDecoder,
  ) {}

  /** Parses every whole record in the queue. */
  parse(): void {
    const q = this.q;
    if (!this.headerDone) {
      if (q.available < 24) return;
      this.readHeader(q.buf, q.start);
      q.start += 24;
    }
    const buf = q.buf;
    const hdr = this.recordHeader;
    let p = q.start;
    const end = q.end;
    while (end - p >= hdr) {
      const caplen = this.u32(buf, p + 8);
      if (caplen > MAX_RECORD_BYTES) {
        throw new InputError(`pcap record ${this.packets + 1}: captured length ${caplen} is over the ${MAX_RECORD_BYTES}-byte limit`, q.offsetOf(p + 8));
      }
      if (end - p - hdr < caplen) break;
      const sec = this.u32(buf, p);
      const fracNs = this.u32(buf, p + 4) * this.nsPerFrac;
      if (!this.started) {
        this.started = true;
        this.baseSec = sec;
        this.baseFracNs = fracNs;
        this.rows.start(BigInt(sec) * 1_000_000_000n + BigInt(fracNs));
      }
      const ts = (sec - this.baseSec) * 1e9 + (fracNs - this.baseFracNs);
      this.decoder.decode(buf, p + hdr, p + hdr + caplen, this.linkType, ts, this.u32(buf, p + 12));
      this.packets++;
      p += hdr + caplen;
    }
    q.start = p;
  }

  private readHeader(buf: Uint8Array, p: number): void {
    const be = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
    const le = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
    const magic = [MAGIC_US, MAGIC_NS, MAGIC_KUZNETZOV].find((m) => m === le || m === be);
    if (magic === undefined) throw new InputError('not a pcap file: unknown magic number', this.q.offsetOf(p));
    this.le = magic === le;
    this.nsPerFrac = magic === MAGIC_NS ? 1 : 1000;
    this.recordHeader = magic === MAGIC_KUZNETZOV ? 24 : 16;
    const major = this.u16(buf, p + 4);
    if (major !== 2) throw new InputError(`pcap: unsupported version ${major}.${this.u16(buf, p + 6)}`, this.q.offsetOf(p + 4));
    // The top bits of the link-type field carry FCS information (libpcap's LT_LINKTYPE).
    this.linkType = this.u32(buf, p + 20) & 0x03ffffff;
    this.headerDone = true;
  }

  private u32(buf: Uint8Array, o: number): number {
    return this.le
      ? (buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24)) >>> 0
      : ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  }

  private u16(buf: Uint8Array, o: number): number {
    return this.le ? buf[o]! | (buf[o + 1]! << 8) : (buf[o]! << 8) | buf[o + 1]!;
  }

  /** What is left at the end of input: a cut-short record, or nothing. */
  leftoverMessage(bytes: number): string {
    if (!this.headerDone) return `pcap file header cut short (${bytes} of 24 bytes)`;
    return `last pcap record cut short (${bytes} bytes kept out)`;
  }

  get headerRead(): boolean {
    return this.headerDone;
  }
}
