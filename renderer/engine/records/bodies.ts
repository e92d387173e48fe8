/**
 * Record bodies (everything after wv_hdr), one method per `enum wv_record_kind`. Each writes the
 * columns its record carries; optional members are written only when the record says they hold
 * a value (`has` bits, non-zero family or error).
 */
import { eventIndex } from '../model/events.js';
import { errnoName } from '../model/errno.js';
import { formatIPv4, formatIPv6 } from '../net/address.js';
import type { BatchBuilder } from '../store/batch-builder.js';
import type { EventStore } from '../store/event-store.js';
import { ABI, HAS, KIND, ROUTE_CHANGE_KIND, WIRE_DIR, offsetsOf } from './abi.js';
import { ByteKeyCache } from './byte-key-cache.js';
import { cString, writers, type Writers } from './header.js';

const AF_INET = 2;
const AF_INET6 = 10;
const TCP_OPT_MSS = 1;
const TCP_OPT_WSCALE = 2;
const TCP_OPT_TIMESTAMPS = 8;

const TUPLE = offsetsOf('wv_tuple', { saddr: 16, daddr: 16, sport: 2, dport: 2, family: 1, proto: 1 });
const TUPLE_AT = offsetsOf('wv_rec_tcp_state', { tuple: TUPLE.SIZE }).tuple; // same in every record that has one
const SOCK = offsetsOf('wv_rec_sock_call', { tuple: TUPLE.SIZE, latency_ns: 8, size_bytes: 4, msg_flags: 4, errno_nr: 2, has: 2, direction: 1 });
const PKT = offsetsOf('wv_rec_packet', {
  tuple: TUPLE.SIZE, pkt_len_bytes: 4, payload_bytes: 4, ifindex: 4, tcp_seq: 4, tcp_ack: 4, tcp_ts_val: 4, tcp_ts_ecr: 4,
  tcp_flags: 2, tcp_window: 2, tcp_csum: 2, tcp_urg: 2, tcp_mss: 2, udp_len: 2, dns_len_bytes: 2, has: 2,
  tcp_doff: 1, tcp_options: 1, tcp_wscale: 1, icmp_type: 1, icmp_code: 1, direction: 1, dns: 256,
});
const STATE = offsetsOf('wv_rec_tcp_state', { tuple: TUPLE.SIZE, state_old: 1, state_new: 1 });
const TCPEV = offsetsOf('wv_rec_tcp_event', { tuple: TUPLE.SIZE, state: 1 });
const CONG = offsetsOf('wv_rec_tcp_cong', { tuple: TUPLE.SIZE, cong_state: 1 });
const PROBE = offsetsOf('wv_rec_tcp_probe', {
  tuple: TUPLE.SIZE, snd_cwnd: 4, ssthresh: 4, snd_wnd_bytes: 4, rcv_wnd_bytes: 4, srtt_us: 4, snd_nxt: 4, snd_una: 4, data_len_bytes: 4,
});
const DROP = offsetsOf('wv_rec_drop', { tuple: TUPLE.SIZE, reason: 4, ifindex: 4, pkt_len_bytes: 4, has: 2 });
const MEM = offsetsOf('wv_rec_sock_mem', { tuple: TUPLE.SIZE, skb_bytes: 4 });
const DEV = offsetsOf('wv_rec_dev', { ifindex: 4, pkt_len_bytes: 4, ifname: 16 });
const ICMP = offsetsOf('wv_rec_icmp_send', { tuple: TUPLE.SIZE, udp_len: 2, icmp_type: 1, icmp_code: 1 });
const NEIGH = offsetsOf('wv_rec_neigh', { addr: 16, hwaddr: 16, ifindex: 4, nud_state: 2, family: 1, hwaddr_len: 1, err: 4 });
const ROUTE = offsetsOf('wv_rec_route', { daddr: 16, saddr: 16, gateway: 16, table: 4, ifindex: 4, err: 4, family: 1, prefix_len: 1, change: 1 });
const LINK = offsetsOf('wv_rec_link', { ifindex: 4, if_flags: 4, mtu: 4, ifname: 16 });
const ADDR = offsetsOf('wv_rec_addr', { addr: 16, ifindex: 4, family: 1, ifname: 16 });
const QDISC = offsetsOf('wv_rec_qdisc', { ifindex: 4, ifname: 16, qdisc_kind: 16 });
const LOST = offsetsOf('wv_rec_lost', { lost_records: 8 });
// wv_rec_packet_short is decoded with PKT: it must be wv_rec_packet up to dns[].
if (offsetsOf('wv_rec_packet_short', {}).SIZE !== PKT.dns) throw new Error('records ABI: wv_rec_packet_short must be wv_rec_packet up to dns[]');
for (const at of [SOCK.tuple, PKT.tuple, TCPEV.tuple, CONG.tuple, PROBE.tuple, DROP.tuple, MEM.tuple, ICMP.tuple]) {
  if (at !== TUPLE_AT) throw new Error('records ABI: wv_tuple must follow wv_hdr in every record that has one');
}

const KEYS = [
  'ipver', 'proto', 'saddr', 'daddr', 'sport', 'dport', 'size', 'direction', 'latency_ns', 'errno', 'msg_flags', 'ifindex', 'ifname',
  'pkt_len', 'tcp_seq', 'tcp_ack', 'tcp_flags', 'tcp_doff', 'tcp_window', 'tcp_csum', 'tcp_urg', 'tcp_options', 'tcp_mss', 'tcp_wscale',
  'tcp_ts_val', 'tcp_ts_ecr', 'udp_len', 'icmp_type', 'icmp_code', 'state_old', 'state_new', 'cong_state', 'drop_reason', 'snd_cwnd',
  'ssthresh', 'snd_wnd', 'rcv_wnd', 'srtt_us', 'snd_nxt', 'snd_una', 'neigh_state', 'hwaddr', 'route_table', 'route_result', 'link_flags', 'mtu', 'lost',
] as const;

const ROUTE_CHANGE = eventIndex('route.change');

export class BodyDecoder {
  private w: Writers<(typeof KEYS)[number]> | undefined;
  private b: BatchBuilder | undefined;
  private readonly utf8 = new TextDecoder();
  private readonly dropIds: Int32Array;
  /** Address bytes → address id, without a view, a string key or a Map lookup per address. */
  private readonly addrs = new ByteKeyCache();
  private readonly internV6 = (view: DataView, at: number): number =>
    this.store.dicts.addrs.internV6(new Uint8Array(view.buffer, view.byteOffset), at);
  private readonly internV4 = (addr: number): number => this.store.dicts.addrs.internV4(addr);

  constructor(
    private readonly store: EventStore,
    private readonly dropReasonNames: readonly string[],
    private readonly onDns: ((builder: BatchBuilder, row: number, payload: Uint8Array) => void) | undefined,
  ) {
    this.dropIds = new Int32Array(dropReasonNames.length).fill(-1);
  }

  attach(b: BatchBuilder): void {
    this.b = b;
    this.w = writers(b, KEYS);
  }

  /** Writes the body of the record at `off` (kind `kind`) into `row`. */
  decode(view: DataView, off: number, kind: number, row: number, event: number): void {
    const w = this.w!;
    switch (kind) {
      case KIND.WV_REC_SOCK_CALL: {
        this.tuple(view, off + TUPLE_AT, row);
        const has = view.getUint16(off + SOCK.has, true);
        if (has & HAS.WV_HAS_LATENCY) w.latency_ns.set(row, u64(view, off + SOCK.latency_ns));
        if (has & HAS.WV_HAS_SIZE) w.size.set(row, view.getUint32(off + SOCK.size_bytes, true));
        if (has & HAS.WV_HAS_MSG_FLAGS) w.msg_flags.set(row, view.getUint32(off + SOCK.msg_flags, true));
        if (has & HAS.WV_HAS_ERRNO) w.errno.set(row, view.getUint16(off + SOCK.errno_nr, true));
        this.direction(view.getUint8(off + SOCK.direction), row);
        return;
      }
      case KIND.WV_REC_PACKET:
      case KIND.WV_REC_PACKET_SHORT: // wv_rec_packet without dns[]: same offsets, never HAS_DNS
        return this.packet(view, off, row);
      case KIND.WV_REC_TCP_STATE:
        this.tuple(view, off + TUPLE_AT, row);
        w.state_old.set(row, view.getUint8(off + STATE.state_old));
        w.state_new.set(row, view.getUint8(off + STATE.state_new));
        return;
      case KIND.WV_REC_TCP_EVENT: {
        this.tuple(view, off + TUPLE_AT, row);
        const state = view.getUint8(off + TCPEV.state);
        if (state !== 0) w.state_new.set(row, state);
        return;
      }
      case KIND.WV_REC_TCP_CONG:
        this.tuple(view, off + TUPLE_AT, row);
        w.cong_state.set(row, view.getUint8(off + CONG.cong_state));
        return;
      case KIND.WV_REC_TCP_PROBE:
        this.tuple(view, off + TUPLE_AT, row);
        w.snd_cwnd.set(row, view.getUint32(off + PROBE.snd_cwnd, true));
        w.ssthresh.set(row, view.getUint32(off + PROBE.ssthresh, true));
        w.snd_wnd.set(row, view.getUint32(off + PROBE.snd_wnd_bytes, true));
        w.rcv_wnd.set(row, view.getUint32(off + PROBE.rcv_wnd_bytes, true));
        w.srtt_us.set(row, view.getUint32(off + PROBE.srtt_us, true));
        w.snd_nxt.set(row, view.getUint32(off + PROBE.snd_nxt, true));
        w.snd_una.set(row, view.getUint32(off + PROBE.snd_una, true));
        w.size.set(row, view.getUint32(off + PROBE.data_len_bytes, true));
        return;
      case KIND.WV_REC_DROP: {
        this.tuple(view, off + TUPLE_AT, row);
        w.drop_reason.set(row, this.dropReasonId(view.getUint32(off + DROP.reason, true)));
        if (view.getUint16(off + DROP.has, true) & HAS.WV_HAS_IFINDEX) w.ifindex.set(row, view.getUint32(off + DROP.ifindex, true));
        w.pkt_len.set(row, view.getUint32(off + DROP.pkt_len_bytes, true));
        return;
      }
      case KIND.WV_REC_SOCK_MEM:
        this.tuple(view, off + TUPLE_AT, row);
        w.size.set(row, view.getUint32(off + MEM.skb_bytes, true));
        return;
      case KIND.WV_REC_DEV:
        w.ifindex.set(row, view.getUint32(off + DEV.ifindex, true));
        w.pkt_len.set(row, view.getUint32(off + DEV.pkt_len_bytes, true));
        this.ifname(view, off + DEV.ifname, row);
        return;
      case KIND.WV_REC_ICMP_SEND: {
        const proto = this.tuple(view, off + TUPLE_AT, row);
        if (proto === 17) w.udp_len.set(row, view.getUint16(off + ICMP.udp_len, true));
        w.icmp_type.set(row, view.getUint8(off + ICMP.icmp_type));
        w.icmp_code.set(row, view.getUint8(off + ICMP.icmp_code));
        return;
      }
      case KIND.WV_REC_NEIGH:
        return this.neigh(view, off, row);
      case KIND.WV_REC_ROUTE:
        return this.route(view, off, row, event);
      case KIND.WV_REC_LINK: {
        w.ifindex.set(row, view.getUint32(off + LINK.ifindex, true));
        this.ifname(view, off + LINK.ifname, row);
        w.link_flags.set(row, view.getUint32(off + LINK.if_flags, true));
        const mtu = view.getUint32(off + LINK.mtu, true);
        if (mtu !== 0) w.mtu.set(row, mtu); // 0: the message carried no IFLA_MTU
        return;
      }
      case KIND.WV_REC_ADDR:
        this.address(view, off + ADDR.addr, view.getUint8(off + ADDR.family), row, w.saddr);
        w.ifindex.set(row, view.getUint32(off + ADDR.ifindex, true));
        this.ifname(view, off + ADDR.ifname, row);
        return;
      case KIND.WV_REC_QDISC:
        w.ifindex.set(row, view.getUint32(off + QDISC.ifindex, true));
        this.ifname(view, off + QDISC.ifname, row);
        this.text(view, off + QDISC.qdisc_kind, row, 'qdisc_kind');
        return;
      case KIND.WV_REC_LOST:
        w.lost.set(row, u64(view, off + LOST.lost_records));
        return;
    }
  }

  private packet(view: DataView, off: number, row: number): void {
    const w = this.w!;
    const proto = this.tuple(view, off + TUPLE_AT, row);
    const has = view.getUint16(off + PKT.has, true);
    w.pkt_len.set(row, view.getUint32(off + PKT.pkt_len_bytes, true));
    w.size.set(row, view.getUint32(off + PKT.payload_bytes, true));
    if (has & HAS.WV_HAS_IFINDEX) w.ifindex.set(row, view.getUint32(off + PKT.ifindex, true));
    this.direction(view.getUint8(off + PKT.direction), row);
    if (proto === 6) {
      w.tcp_seq.set(row, view.getUint32(off + PKT.tcp_seq, true));
      w.tcp_ack.set(row, view.getUint32(off + PKT.tcp_ack, true));
      w.tcp_flags.set(row, view.getUint16(off + PKT.tcp_flags, true));
      w.tcp_doff.set(row, view.getUint8(off + PKT.tcp_doff));
      w.tcp_window.set(row, view.getUint16(off + PKT.tcp_window, true));
      w.tcp_csum.set(row, view.getUint16(off + PKT.tcp_csum, true));
      w.tcp_urg.set(row, view.getUint16(off + PKT.tcp_urg, true));
      const opts = view.getUint8(off + PKT.tcp_options);
      w.tcp_options.set(row, opts);
      if (opts & TCP_OPT_MSS) w.tcp_mss.set(row, view.getUint16(off + PKT.tcp_mss, true));
      if (opts & TCP_OPT_WSCALE) w.tcp_wscale.set(row, view.getUint8(off + PKT.tcp_wscale));
      if (opts & TCP_OPT_TIMESTAMPS) {
        w.tcp_ts_val.set(row, view.getUint32(off + PKT.tcp_ts_val, true));
        w.tcp_ts_ecr.set(row, view.getUint32(off + PKT.tcp_ts_ecr, true));
      }
    } else if (proto === 17) {
      w.udp_len.set(row, view.getUint16(off + PKT.udp_len, true));
    } else if (proto === 1 || proto === 58) {
      w.icmp_type.set(row, view.getUint8(off + PKT.icmp_type));
      w.icmp_code.set(row, view.getUint8(off + PKT.icmp_code));
    }
    if (has & HAS.WV_HAS_DNS && this.onDns) {
      const len = Math.min(view.getUint16(off + PKT.dns_len_bytes, true), ABI.WV_DNS_PAYLOAD_MAX);
      this.onDns(this.b!, row, new Uint8Array(view.buffer, view.byteOffset + off + PKT.dns, len));
    }
  }

  private neigh(view: DataView, off: number, row: number): void {
    const w = this.w!;
    this.address(view, off + NEIGH.addr, view.getUint8(off + NEIGH.family), row, w.daddr);
    w.ifindex.set(row, view.getUint32(off + NEIGH.ifindex, true));
    w.neigh_state.set(row, view.getUint16(off + NEIGH.nud_state, true));
    const hwLen = Math.min(view.getUint8(off + NEIGH.hwaddr_len), 16);
    if (hwLen > 0) {
      let text = '';
      for (let i = 0; i < hwLen; i++) text += (i ? ':' : '') + view.getUint8(off + NEIGH.hwaddr + i).toString(16).padStart(2, '0');
      this.b!.setString('hwaddr', row, text);
    }
    const err = view.getInt32(off + NEIGH.err, true);
    if (err !== 0) w.errno.set(row, Math.abs(err));
  }

  private route(view: DataView, off: number, row: number, event: number): void {
    const w = this.w!;
    const family = view.getUint8(off + ROUTE.family);
    this.address(view, off + ROUTE.daddr, family, row, w.daddr);
    if (!isZero(view, off + ROUTE.saddr, 16)) this.address(view, off + ROUTE.saddr, family, row, w.saddr);
    w.route_table.set(row, view.getUint32(off + ROUTE.table, true));
    const oif = view.getUint32(off + ROUTE.ifindex, true);
    if (oif !== 0) w.ifindex.set(row, oif);
    const err = view.getInt32(off + ROUTE.err, true);
    let result: string;
    if (err !== 0) {
      w.errno.set(row, Math.abs(err));
      result = errnoName(Math.abs(err));
    } else {
      result = isZero(view, off + ROUTE.gateway, 16) ? 'direct' : `via ${addressText(view, off + ROUTE.gateway, family)}`;
    }
    if (event === ROUTE_CHANGE) {
      const removed = view.getUint8(off + ROUTE.change) === ROUTE_CHANGE_KIND.WV_ROUTE_REMOVED ? 'removed ' : '';
      result = `${removed}${addressText(view, off + ROUTE.daddr, family)}/${view.getUint8(off + ROUTE.prefix_len)} ${result}`;
    }
    this.b!.setString('route_result', row, result);
  }

  /** Writes the tuple at `at`; returns its protocol (0 when the record has no addresses). */
  private tuple(view: DataView, at: number, row: number): number {
    const w = this.w!;
    const family = view.getUint8(at + TUPLE.family);
    const proto = view.getUint8(at + TUPLE.proto);
    if (proto !== 0) w.proto.set(row, proto);
    if (family !== AF_INET && family !== AF_INET6) return proto;
    w.saddr.set(row, this.addressId(view, at + TUPLE.saddr, family));
    w.daddr.set(row, this.addressId(view, at + TUPLE.daddr, family));
    w.ipver.set(row, family === AF_INET ? 4 : 6);
    if (proto === 6 || proto === 17 || proto === 132) {
      w.sport.set(row, view.getUint16(at + TUPLE.sport, true));
      w.dport.set(row, view.getUint16(at + TUPLE.dport, true));
    }
    return proto;
  }

  private address(view: DataView, at: number, family: number, row: number, col: { set(row: number, v: number): void }): void {
    if (family !== AF_INET && family !== AF_INET6) return;
    col.set(row, this.addressId(view, at, family));
    this.w!.ipver.set(row, family === AF_INET ? 4 : 6);
  }

  /** The address id of an AF_INET or AF_INET6 address at `at`. */
  private addressId(view: DataView, at: number, family: number): number {
    return family === AF_INET ? this.addrs.get4(view, at, this.internV4) : this.addrs.get(view, at, this.internV6);
  }

  private direction(dir: number, row: number): void {
    if (dir !== WIRE_DIR.WV_DIR_NONE) this.w!.direction.set(row, dir);
  }

  private ifname(view: DataView, at: number, row: number): void {
    this.text(view, at, row, 'ifname');
  }

  /** A NUL-padded char[16] of the record into a string column; an empty one leaves the field unset. */
  private text(view: DataView, at: number, row: number, key: 'ifname' | 'qdisc_kind'): void {
    if (view.getUint8(at) === 0) return;
    this.b!.setString(key, row, cString(new Uint8Array(view.buffer, view.byteOffset), at, 16, this.utf8));
  }

  private dropReasonId(reason: number): number {
    if (reason >= this.dropReasonNames.length) return this.store.dicts.strings('drop_reason').intern(`reason ${reason}`);
    let id = this.dropIds[reason]!;
    if (id < 0) {
      id = this.store.dicts.strings('drop_reason').intern(this.dropReasonNames[reason]!);
      this.dropIds[reason] = id;
    }
    return id;
  }
}

function u64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * 4294967296 + view.getUint32(at, true);
}

function isZero(view: DataView, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (view.getUint8(at + i) !== 0) return false;
  return true;
}

function addressText(view: DataView, at: number, family: number): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + at, family === AF_INET ? 4 : 16);
  return family === AF_INET ? formatIPv4(bytes) : formatIPv6(bytes);
}
