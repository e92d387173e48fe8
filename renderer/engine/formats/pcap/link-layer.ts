import { Dir } from '../../model/enums.js';

/** Link-layer header types (tcpdump.org/linktypes.html) the importer understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW_DLT12: 12,
  RAW_DLT14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Where the network layer starts, found by `locateNetworkLayer`. One instance is reused per reader. */
export class LinkResult {
  /** Offset of the IP header in the buffer. */
  ipOff = 0;
  /** Direction learned from the link header (Linux cooked captures), or -1. */
  direction = -1;
  /** Interface index from the link header (Linux cooked v2), or -1. */
  ifindex = -1;
  /** Why the packet has no IP layer, when locate returned false. */
  reason = '';
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad and the old QinQ tag types. */
const isVlanTag = (t: number): boolean => t === 0x8100 || t === 0x88a8 || t === 0x9100;

/** BSD address families of AF_INET6 on the systems that write DLT_NULL / DLT_LOOP captures. */
const isInet6Family = (f: number): boolean => f === 10 || f === 24 || f === 28 || f === 30;

/**
 * Finds the IP header of a frame of `linkType` in `buf[off…end)`. False (with `out.reason`) for
 * frames that carry no IPv4/IPv6 (ARP, STP…), unknown link types, or a cut-short link header.
 */
export function locateNetworkLayer(buf: Uint8Array, off: number, end: number, linkType: number, out: LinkResult): boolean {
  out.direction = -1;
  out.ifindex = -1;
  let type: number;
  let p: number;
  switch (linkType) {
    case LinkType.ETHERNET:
      if (end - off < 14) return fail(out, 'truncated link header');
      type = (buf[off + 12]! << 8) | buf[off + 13]!;
      p = off + 14;
      break;
    case LinkType.LINUX_SLL:
      if (end - off < 16) return fail(out, 'truncated link header');
      out.direction = ((buf[off]! << 8) | buf[off + 1]!) === 4 ? Dir.output : Dir.input;
      type = (buf[off + 14]! << 8) | buf[off + 15]!;
      p = off + 16;
      break;
    case LinkType.LINUX_SLL2:
      if (end - off < 20) return fail(out, 'truncated link header');
      type = (buf[off]! << 8) | buf[off + 1]!;
      out.ifindex = ((buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!) >>> 0;
      out.direction = buf[off + 10] === 4 ? Dir.output : Dir.input;
      p = off + 20;
      break;
    case LinkType.RAW:
    case LinkType.RAW_DLT12:
    case LinkType.RAW_DLT14:
    case LinkType.IPV4:
    case LinkType.IPV6:
      out.ipOff = off;
      return byVersion(buf, off, end, out);
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (end - off < 4) return fail(out, 'truncated link header');
      // DLT_NULL keeps the writer's host byte order, DLT_LOOP network order: accept either.
      const le = buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24);
      const be = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
      const family = (le >>> 0) <= 0xffff ? le : be;
      out.ipOff = off + 4;
      if (family === 2 || isInet6Family(family)) return byVersion(buf, off + 4, end, out);
      return fail(out, 'not IP');
    }
    default:
      return fail(out, `link type ${linkType}`);
  }
  // Ethernet-style: skip any VLAN tags (each 4 bytes: TCI, then the next type).
  for (let tags = 0; isVlanTag(type); tags++) {
    if (tags === 8 || end - p < 4) return fail(out, 'truncated link header');
    type = (buf[p + 2]! << 8) | buf[p + 3]!;
    p += 4;
  }
  if (type !== ETH_IPV4 && type !== ETH_IPV6) return fail(out, 'not IP');
  out.ipOff = p;
  return true;
}

function byVersion(buf: Uint8Array, off: number, end: number, out: LinkResult): boolean {
  if (off >= end) return fail(out, 'truncated IP header');
  const v = buf[off]! >> 4;
  if (v !== 4 && v !== 6) return fail(out, 'not IP');
  return true;
}

function fail(out: LinkResult, reason: string): false {
  out.reason = reason;
  return false;
}
