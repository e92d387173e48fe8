import { EVENTS } from '../../model/events.js';
import { columnValue, hasValue, type EventBatch } from '../../store/batch.js';
import type { EventStore } from '../../store/event-store.js';
import { maskHas } from '../../query/row-mask.js';
import type { Exporter } from '../importer.js';
import { MAX_HEADER_BYTES, PacketFields, writeHeaders } from './header-synth.js';
import { formatProcessComment } from './process-comment.js';
import { PcapngWriter } from './pcapng-writer.js';

const PACKET_EVENTS = new Set(['pkt.tcp', 'pkt.udp', 'pkt.icmp', 'pkt.ip']);
const L4_PROTOS = new Set([1, 6, 17, 58]);

/**
 * Writes the packet events (pkt.*) of the store as pcapng Enhanced Packet Blocks of LINKTYPE_RAW
 * (one interface per ifindex/ifname pair). No payload is stored, so each packet is its IP and
 * transport headers made from the row's fields, with the EPB's original length = pkt_len: tools
 * see a capture cut to the headers ("packet size limited during capture") with the right
 * lengths. Times are wall-clock ns (if_tsresol 9). Direction goes in epb_flags; pid/tid/comm in
 * a comment `pid=… tid=… comm=…` (Wireshark shows it) and pid/tid in epb_processid_threadid.
 * The DNS cache goes in Name Resolution Blocks. Other events (dns.*, socket calls…) are not
 * packets and are left out.
 */
export const exportPcapng: Exporter = (store, mask, sink, progress) => {
  const w = new PcapngWriter(sink);
  w.sectionHeader('WireView');
  const exporter = new RowExporter(store, w);
  const total = store.rowCount;
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const first = store.batchStart[b]!;
    exporter.useBatch(batch);
    for (let r = 0; r < batch.length; r++) if (maskHas(mask, first + r)) exporter.row(r);
    progress?.(first + batch.length, total);
  }
  // The DNS cache (names of addresses from the trace's DNS answers) travels as name resolution records.
  const addrs = store.dicts.addrs;
  w.nameResolution(
    (function* () {
      for (const [id, names] of store.dns.entries()) yield [addrs.bytesOf(id), names.map((n) => n.replace(/\.$/, ''))] as const;
    })(),
  );
  w.flush();
};

class RowExporter {
  private batch!: EventBatch;
  private readonly fields = new PacketFields();
  private readonly header = new Uint8Array(MAX_HEADER_BYTES);
  private readonly view = new DataView(this.header.buffer);
  private readonly interfaces = new Map<string, number>();
  private readonly isPacket: boolean[] = EVENTS.map((e) => PACKET_EVENTS.has(e.id));
  private readonly pktIp = EVENTS.findIndex((e) => e.id === 'pkt.ip');

  constructor(
    private readonly store: EventStore,
    private readonly w: PcapngWriter,
  ) {}

  useBatch(batch: EventBatch): void {
    this.batch = batch;
  }

  private num(key: string, r: number): number {
    const col = this.batch.columns[key];
    return col && hasValue(col, r) ? columnValue(col, r) : -1;
  }

  private str(key: string, r: number): string | undefined {
    const id = this.num(key, r);
    return id < 0 ? undefined : this.store.dicts.strings(key).get(id);
  }

  row(r: number): void {
    const f = this.fields;
    f.event = this.num('event', r);
    if (!this.isPacket[f.event]) return;
    f.ipver = this.num('ipver', r);
    const saddr = this.num('saddr', r);
    const daddr = this.num('daddr', r);
    if ((f.ipver !== 4 && f.ipver !== 6) || saddr < 0 || daddr < 0) return;
    const addrs = this.store.dicts.addrs;
    if (addrs.version(saddr) !== f.ipver || addrs.version(daddr) !== f.ipver) return;
    f.saddr = addrs.bytesOf(saddr);
    f.daddr = addrs.bytesOf(daddr);
    f.proto = Math.max(0, this.num('proto', r));
    f.laterFragment = f.event === this.pktIp && L4_PROTOS.has(f.proto);
    f.size = this.num('size', r);
    f.pktLen = this.num('pkt_len', r);
    f.sport = this.num('sport', r);
    f.dport = this.num('dport', r);
    f.seq = this.num('tcp_seq', r);
    f.ack = this.num('tcp_ack', r);
    f.flags = this.num('tcp_flags', r);
    f.doff = this.num('tcp_doff', r);
    f.window = this.num('tcp_window', r);
    f.csum = this.num('tcp_csum', r);
    f.urg = this.num('tcp_urg', r);
    f.options = this.num('tcp_options', r);
    f.mss = this.num('tcp_mss', r);
    f.wscale = this.num('tcp_wscale', r);
    f.tsVal = this.num('tcp_ts_val', r);
    f.tsEcr = this.num('tcp_ts_ecr', r);
    f.udpLen = this.num('udp_len', r);
    f.icmpType = this.num('icmp_type', r);
    f.icmpCode = this.num('icmp_code', r);
    const caplen = writeHeaders(f, this.header, this.view);
    const origLen = Math.max(caplen, f.pktLen >= 0 ? f.pktLen : caplen + Math.max(0, f.size));
    const ts = (this.store.baseNs ?? 0n) + this.store.meta.wallOffsetNs + BigInt(this.num('ts_ns', r));
    const pid = this.num('pid', r);
    const tid = this.num('tid', r);
    const comm = this.str('comm', r);
    const hasProcess = pid >= 0 || tid >= 0 || comm !== undefined;
    const comment = hasProcess
      ? formatProcessComment({ ...(pid >= 0 && { pid }), ...(tid >= 0 && { tid }), ...(comm !== undefined && { comm }) })
      : undefined;
    const dir = this.num('direction', r);
    const flags = dir === 2 ? 1 : dir === 3 ? 2 : 0;
    this.w.enhancedPacket(this.interfaceOf(r), ts, this.header, caplen, origLen, flags, comment, pid, tid);
  }

  private interfaceOf(r: number): number {
    const ifindex = this.num('ifindex', r);
    const ifname = this.str('ifname', r);
    const key = `${ifindex}|${ifname ?? ''}`;
    let id = this.interfaces.get(key);
    if (id === undefined) {
      id = this.interfaces.size;
      this.interfaces.set(key, id);
      this.w.interfaceDescription(ifname, `wireview:ifindex=${ifindex >= 0 ? ifindex : '-'}`);
    }
    return id;
  }
}
