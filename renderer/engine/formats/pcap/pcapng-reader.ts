import { Dir } from '../../model/enums.js';
import { InputError } from '../../errors.js';
import type { ByteQueue } from './byte-queue.js';
import type { PacketDecoder } from './packet-decoder.js';
import type { PacketRows } from './packet-rows.js';
import { MAX_RECORD_BYTES } from './pcap-reader.js';
import { PcapngInterface } from './pcapng-interfaces.js';
import { parseProcessComment } from './process-comment.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const NRB = 4;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * pcapng: sections (SHB, either byte order) of interfaces (IDB) and packets (EPB, SPB, the
 * obsolete OPB). Unknown blocks are skipped. Packets take their interface's name, direction
 * (epb_flags), and process details (epb_processid_threadid, or WireView's comment).
 */
export class PcapngReader {
  private le = true;
  private inSection = false;
  private interfaces: PcapngInterface[] = [];
  private lastTs = 0;
  packets = 0;

  constructor(
    private readonly q: ByteQueue,
    private readonly rows: PacketRows,
    private readonly decoder: PacketDecoder,
  ) {}

  parse(): void {
    const q = this.q;
    const buf = q.buf;
    let p = q.start;
    while (q.end - p >= 12) {
      const type = this.u32(buf, p);
      if (type === SHB) this.le = this.sectionOrder(buf, p);
      else if (!this.inSection) throw new InputError('pcapng: file does not start with a section header block', q.offsetOf(p));
      const len = this.u32(buf, p + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_RECORD_BYTES) {
        throw new InputError(`pcapng: bad block length ${len} (block type 0x${type.toString(16)})`, q.offsetOf(p + 4));
      }
      if (q.end - p < len) break;
      if (this.u32(buf, p + len - 4) !== len) {
        throw new InputError(`pcapng: block lengths do not match (${len} vs ${this.u32(buf, p + len - 4)})`, q.offsetOf(p + len - 4));
      }
      this.block(type, buf, p, len);
      p += len;
    }
    q.start = p;
  }

  private sectionOrder(buf: Uint8Array, p: number): boolean {
    const magic = (buf[p + 8]! | (buf[p + 9]! << 8) | (buf[p + 10]! << 16) | (buf[p + 11]! << 24)) >>> 0;
    if (magic === BYTE_ORDER_MAGIC) return true;
    const swapped = ((buf[p + 8]! << 24) | (buf[p + 9]! << 16) | (buf[p + 10]! << 8) | buf[p + 11]!) >>> 0;
    if (swapped === BYTE_ORDER_MAGIC) return false;
    throw new InputError('pcapng: bad byte-order magic in section header', this.q.offsetOf(p + 8));
  }

  private block(type: number, buf: Uint8Array, p: number, len: number): void {
    const end = p + len - 4;
    switch (type) {
      case SHB:
        if (len < 28) throw new InputError('pcapng: section header block too short', this.q.offsetOf(p));
        if (this.u16(buf, p + 12) !== 1) throw new InputError(`pcapng: unsupported version ${this.u16(buf, p + 12)}`, this.q.offsetOf(p + 12));
        this.inSection = true;
        this.interfaces = [];
        return;
      case IDB:
        return this.interfaceBlock(buf, p, end);
      case EPB:
      case OPB:
        return this.packetBlock(type, buf, p, end);
      case SPB:
        return this.simplePacket(buf, p, end);
      case NRB:
        return this.nameResolution(buf, p + 8, end);
      default:
        return; // name resolution, statistics, custom, secrets…: nothing for us
    }
  }

  private interfaceBlock(buf: Uint8Array, p: number, end: number): void {
    if (end - p < 16) throw new InputError('pcapng: interface description block too short', this.q.offsetOf(p));
    const iface = new PcapngInterface(this.u16(buf, p + 8), this.u32(buf, p + 12));
    this.options(buf, p + 16, end, (code, o, n) => {
      if (code === 2 && n > 0) iface.ifnameId = this.rows.stringId('ifname', utf8.decode(buf.subarray(o, o + n)).replace(/\0+$/, ''));
      else if (code === 3) {
        const m = /^wireview:ifindex=(\d+|-)$/.exec(utf8.decode(buf.subarray(o, o + n)));
        if (m) iface.ifindex = m[1] === '-' ? -1 : Number(m[1]);
      } else if (code === 9 && n >= 1) iface.setResolution(buf[o]!);
      else if (code === 14 && n >= 8) iface.setOffsetSeconds(this.i64(buf, o));
    });
    this.interfaces.push(iface);
  }

  private packetBlock(type: number, buf: Uint8Array, p: number, end: number): void {
    const q = this.q;
    if (end - p < 28) throw new InputError('pcapng: packet block too short', q.offsetOf(p));
    const ifId = type === EPB ? this.u32(buf, p + 8) : this.u16(buf, p + 8);
    const iface = this.interfaces[ifId];
    if (!iface) throw new InputError(`pcapng: packet on interface ${ifId}, but the section defines ${this.interfaces.length}`, q.offsetOf(p + 8));
    const caplen = this.u32(buf, p + 20);
    const data = p + 28;
    if (caplen > end - data) throw new InputError(`pcapng: captured length ${caplen} exceeds its block`, q.offsetOf(p + 20));
    const hi = this.u32(buf, p + 12);
    const lo = this.u32(buf, p + 16);
    const f = this.decoder.frame;
    f.ifindex = iface.ifindex ?? ifId;
    f.ifnameId = iface.ifnameId;
    f.direction = -1;
    f.pid = -1;
    f.tid = -1;
    f.commId = -1;
    let commented = false;
    this.options(buf, data + ((caplen + 3) & ~3), end, (code, o, n) => {
      if (code === 2 && n >= 4) {
        const inout = this.u32(buf, o) & 3;
        f.direction = inout === 1 ? Dir.input : inout === 2 ? Dir.output : -1;
      } else if (code === 8 && n >= 8 && type === EPB && !commented) {
        // epb_processid_threadid: 0 means unknown. Our comment, when present, is exact and wins.
        const pid = this.u32(buf, o);
        const tid = this.u32(buf, o + 4);
        if (pid !== 0) f.pid = pid;
        if (tid !== 0) f.tid = tid;
      } else if (code === 1 && n > 0) {
        const info = parseProcessComment(utf8.decode(buf.subarray(o, o + n)));
        if (!info) return;
        commented = true;
        f.pid = info.pid ?? -1;
        f.tid = info.tid ?? -1;
        f.commId = info.comm !== undefined ? this.rows.stringId('comm', info.comm) : -1;
      }
    });
    if (this.rows.baseNs === undefined) this.rows.start(iface.absoluteNs(hi, lo));
    const ts = iface.relativeNs(hi, lo, this.rows.baseNs!);
    this.lastTs = ts;
    this.decoder.decode(buf, data, data + caplen, iface.linkType, ts, this.u32(buf, p + 24));
    this.packets++;
  }

  private simplePacket(buf: Uint8Array, p: number, end: number): void {
    const iface = this.interfaces[0];
    if (!iface) throw new InputError('pcapng: simple packet block before any interface', this.q.offsetOf(p));
    if (end - p < 12) throw new InputError('pcapng: simple packet block too short', this.q.offsetOf(p));
    const origLen = this.u32(buf, p + 8);
    let caplen = Math.min(origLen, end - (p + 12));
    if (iface.snapLen > 0) caplen = Math.min(caplen, iface.snapLen);
    const f = this.decoder.frame;
    f.ifindex = iface.ifindex ?? 0;
    f.ifnameId = iface.ifnameId;
    f.direction = f.pid = f.tid = f.commId = -1;
    // A simple packet has no timestamp: it takes the previous packet's.
    if (this.rows.baseNs === undefined) this.rows.start(0n);
    this.decoder.decode(buf, p + 12, p + 12 + caplen, iface.linkType, this.lastTs, origLen);
    this.packets++;
  }

  /** Name resolution records (IPv4/IPv6 address, zero-terminated names) feed the store's DNS cache. */
  private nameResolution(buf: Uint8Array, p: number, end: number): void {
    const store = this.rows.store;
    while (end - p >= 4) {
      const type = this.u16(buf, p);
      const n = this.u16(buf, p + 2);
      if (type === 0 || p + 4 + n > end) return;
      const alen = type === 1 ? 4 : type === 2 ? 16 : 0;
      if (alen > 0 && n > alen) {
        const id = alen === 4 ? store.dicts.addrs.internV4(this.u32be(buf, p + 4)) : store.dicts.addrs.internV6(buf, p + 4);
        for (const name of utf8.decode(buf.subarray(p + 4 + alen, p + 4 + n)).split('\0')) if (name !== '') store.dns.add(id, name);
      }
      p += 4 + ((n + 3) & ~3);
    }
  }

  private u32be(buf: Uint8Array, o: number): number {
    return ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  }

  /** Calls `each(code, offset, length)` for the options in `buf[p…end)`, up to opt_endofopt. */
  private options(buf: Uint8Array, p: number, end: number, each: (code: number, o: number, n: number) => void): void {
    while (end - p >= 4) {
      const code = this.u16(buf, p);
      const n = this.u16(buf, p + 2);
      if (code === 0 || p + 4 + n > end) return;
      each(code, p + 4, n);
      p += 4 + ((n + 3) & ~3);
    }
  }

  private u32(buf: Uint8Array, o: number): number {
    return this.le
      ? (buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24)) >>> 0
      : ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  }

  private u16(buf: Uint8Array, o: number): number {
    return this.le ? buf[o]! | (buf[o + 1]! << 8) : (buf[o]! << 8) | buf[o + 1]!;
  }

  private i64(buf: Uint8Array, o: number): bigint {
    const a = BigInt(this.u32(buf, o));
    const b = BigInt(this.u32(buf, o + 4));
    return BigInt.asIntN(64, this.le ? (b << 32n) | a : (a << 32n) | b);
  }

  leftoverMessage(bytes: number): string {
    return `last pcapng block cut short (${bytes} bytes kept out)`;
  }
}
