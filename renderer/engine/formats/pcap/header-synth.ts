import { TcpOpt } from '../../model/enums.js';

/** The stored fields of one packet row that headers are made from; -1 = no value. */
export class PacketFields {
  event = 0;
  ipver = 0;
  proto = 0;
  saddr: Uint8Array = new Uint8Array(0);
  daddr: Uint8Array = new Uint8Array(0);
  /** True for a non-first fragment (pkt.ip carrying a TCP/UDP/ICMP protocol). */
  laterFragment = false;
  size = -1;
  pktLen = -1;
  sport = -1;
  dport = -1;
  seq = -1;
  ack = -1;
  flags = -1;
  doff = -1;
  window = -1;
  csum = -1;
  urg = -1;
  options = -1;
  mss = -1;
  wscale = -1;
  tsVal = -1;
  tsEcr = -1;
  udpLen = -1;
  icmpType = -1;
  icmpCode = -1;
}

/** Longest IPv6 padding header we write (its length byte counts 8-byte units). */
const MAX_V6_PAD = 256 * 8;
/** IPv6 + fragment header + padding header + a TCP header with 40 bytes of options. */
export const MAX_HEADER_BYTES = 40 + 8 + MAX_V6_PAD + 60;

/**
 * Writes the IP and transport headers of `f` into `out` (from 0) and returns their length. The
 * headers say exactly what the row says, so reading them back gives the same fields: IP length
 * = pkt_len, IPv4 options / an IPv6 destination-options header pad the IP header where the
 * original had one (pkt_len − size − transport header), TCP options come from the option mask.
 * `view` is a DataView over `out`.
 */
export function writeHeaders(f: PacketFields, out: Uint8Array, view: DataView): number {
  const l4 = transportLength(f);
  const size = Math.max(0, f.size);
  const minIp = f.ipver === 4 ? 20 : 40 + (f.laterFragment ? 8 : 0);
  let ipLen = minIp;
  if (f.pktLen >= 0) {
    const implied = f.pktLen - size - l4;
    const maxIp = f.ipver === 4 ? 60 : minIp + MAX_V6_PAD;
    if (implied > minIp && implied <= maxIp && (implied - minIp) % (f.ipver === 4 ? 4 : 8) === 0) ipLen = implied;
  }
  const total = f.pktLen >= 0 ? f.pktLen : ipLen + l4 + size;
  out.fill(0, 0, ipLen + l4);
  if (f.ipver === 4) {
    out[0] = 0x40 | (ipLen >> 2);
    view.setUint16(2, total > 0xffff ? 0 : total); // 0: longer than the field (BIG TCP), the wire length says
    if (f.laterFragment) view.setUint16(6, 1); // fragment offset 8 bytes: not the first fragment
    out[8] = 64;
    out[9] = f.proto;
    out.set(f.saddr.subarray(0, 4), 12);
    out.set(f.daddr.subarray(0, 4), 16);
    view.setUint16(10, ipv4Checksum(out, ipLen));
  } else {
    out[0] = 0x60;
    view.setUint16(4, total - 40 > 0xffff ? 0 : Math.max(0, total - 40));
    out[7] = 64;
    out.set(f.saddr.subarray(0, 16), 8);
    out.set(f.daddr.subarray(0, 16), 24);
    let p = 40;
    let nextAt = 6;
    if (f.laterFragment) {
      out[nextAt] = 44;
      nextAt = p;
      view.setUint16(p + 2, 8); // offset 8, no more fragments
      p += 8;
    }
    if (ipLen > p) {
      // Destination options holding one PadN option, standing in for the original extension headers.
      out[nextAt] = 60;
      nextAt = p;
      out[p + 1] = (ipLen - p) / 8 - 1;
      out[p + 2] = 1;
      out[p + 3] = ipLen - p - 4;
    }
    out[nextAt] = f.proto;
  }
  if (!f.laterFragment) writeTransport(f, out, view, ipLen, l4);
  return ipLen + capturedTransport(f, l4);
}

/** Transport bytes to keep: all of the header, or as much as the original capture had of it. */
function capturedTransport(f: PacketFields, l4: number): number {
  if (f.proto === 6) return f.seq >= 0 ? l4 : f.sport >= 0 ? 4 : 0;
  if (f.proto === 17) return f.udpLen >= 0 ? l4 : f.sport >= 0 ? 4 : 0;
  if (f.proto === 1 || f.proto === 58) return f.icmpType < 0 ? 0 : f.icmpCode < 0 ? 1 : l4;
  return l4;
}

function transportLength(f: PacketFields): number {
  if (f.laterFragment) return 0;
  if (f.proto === 6) return Math.max(5, f.doff, 5 + Math.ceil(optionBytes(f) / 4)) * 4;
  if (f.proto === 17) return 8;
  if (f.proto === 1 || f.proto === 58) return 8;
  return 0;
}

function optionBytes(f: PacketFields): number {
  const m = f.options < 0 ? 0 : f.options;
  let n = 0;
  if (m & TcpOpt.MSS) n += 4;
  if (m & TcpOpt.SACK_PERM) n += 2;
  if (m & TcpOpt.TIMESTAMPS) n += 10;
  if (m & TcpOpt.WSCALE) n += 3;
  if (m & TcpOpt.SACK) n += 2;
  if (m & TcpOpt.FASTOPEN) n += 2;
  if (m & TcpOpt.MPTCP) n += 2;
  if (m & TcpOpt.OTHER) n += 2;
  return n;
}

function writeTransport(f: PacketFields, out: Uint8Array, view: DataView, p: number, l4: number): void {
  const u16 = (o: number, v: number): void => view.setUint16(o, v < 0 ? 0 : v & 0xffff);
  const u32 = (o: number, v: number): void => view.setUint32(o, v < 0 ? 0 : v >>> 0);
  if (f.proto === 6) {
    u16(p, f.sport);
    u16(p + 2, f.dport);
    u32(p + 4, f.seq);
    u32(p + 8, f.ack);
    const flags = f.flags < 0 ? 0 : f.flags;
    out[p + 12] = ((l4 / 4) << 4) | ((flags >> 8) & 1);
    out[p + 13] = flags & 0xff;
    u16(p + 14, f.window);
    u16(p + 16, f.csum);
    u16(p + 18, f.urg);
    writeTcpOptions(f, out, view, p + 20, p + l4);
  } else if (f.proto === 17) {
    u16(p, f.sport);
    u16(p + 2, f.dport);
    u16(p + 4, f.udpLen >= 0 ? f.udpLen : Math.max(0, f.size) + 8);
  } else if (f.proto === 1 || f.proto === 58) {
    out[p] = f.icmpType < 0 ? 0 : f.icmpType;
    out[p + 1] = f.icmpCode < 0 ? 0 : f.icmpCode;
  }
}

/** Options in Linux's order (MSS, SACK-permitted, timestamps, window scale), NOP-padded to `end`. */
function writeTcpOptions(f: PacketFields, out: Uint8Array, view: DataView, o: number, end: number): void {
  const m = f.options < 0 ? 0 : f.options;
  const opt = (kind: number, len: number): void => {
    out[o] = kind;
    out[o + 1] = len;
    o += len;
  };
  if (m & TcpOpt.MSS) {
    view.setUint16(o + 2, Math.max(0, f.mss));
    opt(2, 4);
  }
  if (m & TcpOpt.SACK_PERM) opt(4, 2);
  if (m & TcpOpt.TIMESTAMPS) {
    view.setUint32(o + 2, Math.max(0, f.tsVal) >>> 0);
    view.setUint32(o + 6, Math.max(0, f.tsEcr) >>> 0);
    opt(8, 10);
  }
  if (m & TcpOpt.WSCALE) {
    out[o + 2] = Math.max(0, f.wscale);
    opt(3, 3);
  }
  if (m & TcpOpt.SACK) opt(5, 2);
  if (m & TcpOpt.FASTOPEN) opt(34, 2);
  if (m & TcpOpt.MPTCP) opt(30, 2);
  if (m & TcpOpt.OTHER) opt(253, 2); // RFC 4727 experimental: stands for any option we do not name
  out.fill(1, o, end);
}

function ipv4Checksum(h: Uint8Array, len: number): number {
  let sum = 0;
  for (let i = 0; i < len; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
