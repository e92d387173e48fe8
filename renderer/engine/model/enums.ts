/**
 * Name tables for the enumerated and bit-flag fields of EVENTS.md. Values are the Linux numbers
 * (uapi headers), so records from the kernel and imported packets use them unchanged.
 */

/** Direction of an event: socket calls send/receive, packets input/output, flows incoming/outgoing. */
export const DIRECTIONS = ['send', 'receive', 'input', 'output', 'incoming', 'outgoing'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const Dir = { send: 0, receive: 1, input: 2, output: 3, incoming: 4, outgoing: 5 } as const;

/** IP protocol numbers we name; any other number is shown as `other` in the table and kept raw. */
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;
export function protoName(n: number): string {
  switch (n) {
    case 1:
      return 'ICMP';
    case 6:
      return 'TCP';
    case 17:
      return 'UDP';
    case 58:
      return 'ICMPv6';
    default:
      return 'other';
  }
}
/** Parses a protocol name as users type it (`tcp`, `TCP`, `icmpv6`, or a number). */
export function protoNumber(name: string): number | undefined {
  const n = Number(name);
  if (Number.isInteger(n) && n >= 0 && n < 256) return n;
  switch (name.toLowerCase()) {
    case 'icmp':
      return 1;
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmpv6':
      return 58;
    default:
      return undefined;
  }
}

/** TCP header flags, bit n = 1 << n, in the order EVENTS.md and the JSON contract list them. */
export const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'] as const;
export type TcpFlag = (typeof TCP_FLAGS)[number];
export const TcpFlagBit = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ECE: 64,
  CWR: 128,
  NS: 256,
} as const satisfies Record<TcpFlag, number>;

/** Bits of the `tcp_opts` column: which TCP options the segment carried. */
export const TcpOpt = { MSS: 1, WSCALE: 2, SACK_PERM: 4, TIMESTAMPS: 8, SACK: 16, FASTOPEN: 32, MPTCP: 64, OTHER: 128 } as const;

/** Linux TCP states (include/net/tcp_states.h); index = state number. */
export const TCP_STATES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
  'BOUND_INACTIVE',
] as const;

/** Linux TCP congestion states (enum tcp_ca_state). */
export const TCP_CA_STATES = ['Open', 'Disorder', 'CWR', 'Recovery', 'Loss'] as const;

/** Neighbour (NUD_*) state bits, include/uapi/linux/neighbour.h. */
export const NUD_STATES: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'INCOMPLETE'],
  [0x02, 'REACHABLE'],
  [0x04, 'STALE'],
  [0x08, 'DELAY'],
  [0x10, 'PROBE'],
  [0x20, 'FAILED'],
  [0x40, 'NOARP'],
  [0x80, 'PERMANENT'],
];

/** Interface flags (IFF_*, include/uapi/linux/if.h), in bit order, as `ip link` names them. */
export const IFF_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'UP'],
  [0x2, 'BROADCAST'],
  [0x4, 'DEBUG'],
  [0x8, 'LOOPBACK'],
  [0x10, 'POINTOPOINT'],
  [0x20, 'NOTRAILERS'],
  [0x40, 'RUNNING'],
  [0x80, 'NOARP'],
  [0x100, 'PROMISC'],
  [0x200, 'ALLMULTI'],
  [0x400, 'MASTER'],
  [0x800, 'SLAVE'],
  [0x1000, 'MULTICAST'],
  [0x2000, 'PORTSEL'],
  [0x4000, 'AUTOMEDIA'],
  [0x8000, 'DYNAMIC'],
  [0x10000, 'LOWER_UP'],
  [0x20000, 'DORMANT'],
  [0x40000, 'ECHO'],
];

/** send/recv MSG_* flags (include/linux/socket.h), in bit order; the seed CSV joins them with `|`. */
export const MSG_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'MSG_OOB'],
  [0x2, 'MSG_PEEK'],
  [0x4, 'MSG_DONTROUTE'],
  [0x8, 'MSG_CTRUNC'],
  [0x10, 'MSG_PROXY'],
  [0x20, 'MSG_TRUNC'],
  [0x40, 'MSG_DONTWAIT'],
  [0x80, 'MSG_EOR'],
  [0x100, 'MSG_WAITALL'],
  [0x200, 'MSG_FIN'],
  [0x400, 'MSG_SYN'],
  [0x800, 'MSG_CONFIRM'],
  [0x1000, 'MSG_RST'],
  [0x2000, 'MSG_ERRQUEUE'],
  [0x4000, 'MSG_NOSIGNAL'],
  [0x8000, 'MSG_MORE'],
  [0x10000, 'MSG_WAITFORONE'],
  [0x20000, 'MSG_SENDPAGE_NOPOLICY'],
  [0x40000, 'MSG_BATCH'],
  [0x4000000, 'MSG_ZEROCOPY'],
  [0x20000000, 'MSG_FASTOPEN'],
  [0x40000000, 'MSG_CMSG_CLOEXEC'],
];

/** Names of the set bits of `mask`, in table order; unknown bits as hex. */
export function flagNames(mask: number, table: ReadonlyArray<readonly [number, string]>): string[] {
  const out: string[] = [];
  let rest = mask >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) !== 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** Parses `A|B|0x10` back into a mask; undefined when a name is unknown. */
export function parseFlagNames(text: string, table: ReadonlyArray<readonly [number, string]>): number | undefined {
  let mask = 0;
  for (const part of text.split('|')) {
    const name = part.trim();
    if (name === '') continue;
    const hit = table.find(([, n]) => n === name);
    if (hit) mask |= hit[0];
    else if (/^0x[0-9a-f]+$/i.test(name)) mask |= parseInt(name, 16);
    else return undefined;
  }
  return mask >>> 0;
}
