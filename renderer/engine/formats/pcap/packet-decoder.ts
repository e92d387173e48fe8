import { TcpOpt } from '../../model/enums.js';
import type { AddressDict } from '../../store/address-dict.js';
import type { DnsDecoder } from './dns-events.js';
import { LinkResult, locateNetworkLayer } from './link-layer.js';
import { EV_ICMP, EV_IP, EV_TCP, EV_UDP, type PacketRows } from './packet-rows.js';

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const ICMPV6 = 58;

/** Per-packet facts a reader knows from its framing (pcapng interface, flags, comments); -1 = none. */
export class FrameContext {
  ifindex = -1;
  ifnameId = -1;
  direction = -1;
  pid = -1;
  tid = -1;
  commId = -1;
}

/**
 * Decodes one captured frame (link layer → IPv4/IPv6 → TCP/UDP/ICMP) straight into the row
 * columns: byte reads on the buffer, addresses interned by number, no object per packet.
 * Frames without IP are counted in `skipped` by reason. Lengths (size, pkt_len) come from the
 * IP header, so a capture cut to a snap length still reports the packet's real sizes.
 */
export class PacketDecoder {
  /** Frames that made no event, by reason ("not IP", "link type 9"…). */
  readonly skipped = new Map<string, number>();
  readonly frame = new FrameContext();
  private readonly link = new LinkResult();
  private readonly addrs: AddressDict;

  constructor(
    private readonly rows: PacketRows,
    private readonly dns: DnsDecoder,
  ) {
    this.addrs = rows.store.dicts.addrs;
  }

  /**
   * Decodes the captured bytes `buf[off…end)` of a frame of `linkType` taken at `tsRelNs`;
   * `wireLen` is the frame's original length (for IP headers that give none: TSO, jumbograms).
   */
  decode(buf: Uint8Array, off: number, end: number, linkType: number, tsRelNs: number, wireLen: number): void {
    const link = this.link;
    if (!locateNetworkLayer(buf, off, end, linkType, link)) return this.skip(link.reason);
    const p = link.ipOff;
    const ipWireLen = Math.max(end - p, wireLen - (p - off));
    if ((buf[p]! >> 4) === 4) this.ipv4(buf, p, end, tsRelNs, ipWireLen);
    else this.ipv6(buf, p, end, tsRelNs, ipWireLen);
  }

  private ipv4(buf: Uint8Array, p: number, end: number, ts: number, wireLen: number): void {
    if (end - p < 20) return this.skip('truncated IP header');
    const ihl = (buf[p]! & 15) * 4;
    if (ihl < 20) return this.skip('bad IPv4 header length');
    let total = (buf[p + 2]! << 8) | buf[p + 3]!;
    // A zero total length is what Linux records for TSO/BIG TCP super-packets: use the wire length.
    if (total === 0) total = wireLen;
    const fragOffset = ((buf[p + 6]! & 0x1f) << 8) | buf[p + 7]!;
    const proto = buf[p + 9]!;
    const rows = this.rows;
    const r = this.startRow(ts, fragOffset !== 0 ? EV_IP : eventOf(proto), 4, proto);
    rows.saddr.set(r, this.addrs.internV4(u32(buf, p + 12)));
    rows.daddr.set(r, this.addrs.internV4(u32(buf, p + 16)));
    rows.pktLen.set(r, total);
    const l4Len = Math.max(0, total - ihl);
    if (fragOffset !== 0) {
      rows.size.set(r, l4Len);
      return;
    }
    this.transport(buf, p + ihl, Math.min(end, p + total), proto, l4Len, r, ts);
  }

  private ipv6(buf: Uint8Array, p: number, end: number, ts: number, wireLen: number): void {
    if (end - p < 40) return this.skip('truncated IP header');
    let payload = (buf[p + 4]! << 8) | buf[p + 5]!;
    if (payload === 0) payload = Math.max(0, wireLen - 40); // jumbogram or BIG TCP: the wire length says
    let next = buf[p + 6]!;
    let q = p + 40;
    let firstFragment = true;
    // Walk the extension headers (bounded: each one advances q by at least 8 bytes).
    while (q + 8 <= end && q - p - 40 < payload) {
      if (next === 0 || next === 43 || next === 60) {
        const nn = buf[q]!;
        q += (buf[q + 1]! + 1) * 8;
        next = nn;
      } else if (next === 44) {
        firstFragment = (((buf[q + 2]! << 8) | buf[q + 3]!) & 0xfff8) === 0;
        next = buf[q]!;
        q += 8;
      } else if (next === 51) {
        const nn = buf[q]!;
        q += (buf[q + 1]! + 2) * 4;
        next = nn;
      } else break;
    }
    const l4Len = Math.max(0, payload - (q - p - 40));
    const rows = this.rows;
    const r = this.startRow(ts, firstFragment ? eventOf(next) : EV_IP, 6, next);
    rows.saddr.set(r, this.addrs.internV6(buf, p + 8));
    rows.daddr.set(r, this.addrs.internV6(buf, p + 24));
    rows.pktLen.set(r, payload + 40);
    if (!firstFragment) {
      rows.size.set(r, l4Len);
      return;
    }
    this.transport(buf, q, Math.min(end, p + 40 + payload), next, l4Len, r, ts);
  }

  /** Fills the L4 fields from `buf[q…end)` (captured bytes); `l4Len` is the length the IP header gives. */
  private transport(buf: Uint8Array, q: number, end: number, proto: number, l4Len: number, r: number, ts: number): void {
    const rows = this.rows;
    const have = end - q;
    if (proto === TCP) {
      if (have >= 4) this.ports(buf, q, r);
      if (have < 20) return;
      rows.seq.set(r, u32(buf, q + 4));
      rows.ack.set(r, u32(buf, q + 8));
      const doff = buf[q + 12]! >> 4;
      rows.doff.set(r, doff);
      rows.flags.set(r, buf[q + 13]! | ((buf[q + 12]! & 1) << 8));
      rows.window.set(r, (buf[q + 14]! << 8) | buf[q + 15]!);
      rows.csum.set(r, (buf[q + 16]! << 8) | buf[q + 17]!);
      rows.urg.set(r, (buf[q + 18]! << 8) | buf[q + 19]!);
      if (doff < 5) return; // a bogus header length: no options, no payload size
      rows.size.set(r, Math.max(0, l4Len - doff * 4));
      if (doff > 5) this.tcpOptions(buf, q + 20, Math.min(end, q + doff * 4), r);
    } else if (proto === UDP) {
      if (have >= 4) this.ports(buf, q, r);
      rows.size.set(r, Math.max(0, l4Len - 8));
      if (have < 8) return;
      const udpLen = (buf[q + 4]! << 8) | buf[q + 5]!;
      rows.udpLen.set(r, udpLen);
      if (this.dnsPorts(buf, q)) this.dns.decodeUdp(buf, q + 8, Math.min(end, q + Math.max(8, udpLen)), r, ts);
    } else if (proto === ICMP || proto === ICMPV6) {
      rows.size.set(r, Math.max(0, l4Len - 8));
      if (have >= 1) rows.icmpType.set(r, buf[q]!);
      if (have >= 2) rows.icmpCode.set(r, buf[q + 1]!);
    } else {
      rows.size.set(r, l4Len);
    }
    if (proto === TCP && have >= 20 && this.dnsPorts(buf, q)) {
      const hl = (buf[q + 12]! >> 4) * 4;
      if (hl >= 20 && q + hl < end) this.dns.decodeTcp(buf, q + hl, end, r, ts);
    }
  }

  private ports(buf: Uint8Array, q: number, r: number): void {
    this.rows.sport.set(r, (buf[q]! << 8) | buf[q + 1]!);
    this.rows.dport.set(r, (buf[q + 2]! << 8) | buf[q + 3]!);
  }

  private dnsPorts(buf: Uint8Array, q: number): boolean {
    const s = (buf[q]! << 8) | buf[q + 1]!;
    const d = (buf[q + 2]! << 8) | buf[q + 3]!;
    return s === 53 || d === 53 || s === 5353 || d === 5353;
  }

  private tcpOptions(buf: Uint8Array, o: number, end: number, r: number): void {
    const rows = this.rows;
    let mask = 0;
    while (o < end) {
      const kind = buf[o]!;
      if (kind === 0) break;
      if (kind === 1) {
        o++;
        continue;
      }
      if (o + 1 >= end) break;
      const len = buf[o + 1]!;
      if (len < 2 || o + len > end) break; // malformed: stop where tshark stops trusting it
      switch (kind) {
        case 2:
          mask |= TcpOpt.MSS;
          if (len === 4) rows.mss.set(r, (buf[o + 2]! << 8) | buf[o + 3]!);
          break;
        case 3:
          mask |= TcpOpt.WSCALE;
          if (len === 3) rows.wscale.set(r, buf[o + 2]!);
          break;
        case 4:
          mask |= TcpOpt.SACK_PERM;
          break;
        case 5:
          mask |= TcpOpt.SACK;
          break;
        case 8:
          mask |= TcpOpt.TIMESTAMPS;
          if (len === 10) {
            rows.tsVal.set(r, u32(buf, o + 2));
            rows.tsEcr.set(r, u32(buf, o + 6));
          }
          break;
        case 34:
          mask |= TcpOpt.FASTOPEN;
          break;
        case 30:
          mask |= TcpOpt.MPTCP;
          break;
        default:
          mask |= TcpOpt.OTHER;
      }
      o += len;
    }
    rows.options.set(r, mask);
  }

  /** Starts the packet's row with the fields every packet has. */
  private startRow(ts: number, event: number, ipver: number, proto: number): number {
    const rows = this.rows;
    const f = this.frame;
    const r = rows.addRow(ts, event);
    rows.ipver.set(r, ipver);
    rows.proto.set(r, proto);
    const dir = f.direction >= 0 ? f.direction : this.link.direction;
    if (dir >= 0) rows.direction.set(r, dir);
    const ifindex = f.ifindex >= 0 ? f.ifindex : this.link.ifindex;
    if (ifindex >= 0) rows.ifindex.set(r, ifindex);
    if (f.ifnameId >= 0) rows.ifname.set(r, f.ifnameId);
    if (f.pid >= 0) rows.pid.set(r, f.pid);
    if (f.tid >= 0) rows.tid.set(r, f.tid);
    if (f.commId >= 0) rows.comm.set(r, f.commId);
    return r;
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }
}

function eventOf(proto: number): number {
  return proto === TCP ? EV_TCP : proto === UDP ? EV_UDP : proto === ICMP || proto === ICMPV6 ? EV_ICMP : EV_IP;
}

/** Big-endian unsigned 32-bit read. */
function u32(buf: Uint8Array, o: number): number {
  return ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
}
