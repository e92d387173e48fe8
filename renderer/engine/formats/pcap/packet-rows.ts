import { eventIndex } from '../../model/events.js';
import type { ColumnWriter } from '../../store/batch-builder.js';
import type { BatchBuilder } from '../../store/batch-builder.js';
import type { EventStore } from '../../store/event-store.js';

/** Rows per sealed batch for imported packets. */
const BATCH_ROWS = 65536;

export const EV_TCP = eventIndex('pkt.tcp');
export const EV_UDP = eventIndex('pkt.udp');
export const EV_ICMP = eventIndex('pkt.icmp');
export const EV_IP = eventIndex('pkt.ip');
export const EV_DNS_QUERY = eventIndex('dns.query');
export const EV_DNS_ANSWER = eventIndex('dns.answer');

/**
 * Where decoded packets go: the batch being filled and its column writers, fetched once. The
 * first packet fixes the store's base time; each row's time is ns since that base.
 */
export class PacketRows {
  private builder: BatchBuilder | undefined;
  /** Absolute ns of the first packet (the batches' base), once known. */
  baseNs: bigint | undefined;
  ts!: ColumnWriter;
  source!: ColumnWriter;
  ipver!: ColumnWriter;
  proto!: ColumnWriter;
  saddr!: ColumnWriter;
  daddr!: ColumnWriter;
  sport!: ColumnWriter;
  dport!: ColumnWriter;
  size!: ColumnWriter;
  pktLen!: ColumnWriter;
  direction!: ColumnWriter;
  ifindex!: ColumnWriter;
  ifname!: ColumnWriter;
  pid!: ColumnWriter;
  tid!: ColumnWriter;
  comm!: ColumnWriter;
  seq!: ColumnWriter;
  ack!: ColumnWriter;
  flags!: ColumnWriter;
  doff!: ColumnWriter;
  window!: ColumnWriter;
  csum!: ColumnWriter;
  urg!: ColumnWriter;
  options!: ColumnWriter;
  mss!: ColumnWriter;
  wscale!: ColumnWriter;
  tsVal!: ColumnWriter;
  tsEcr!: ColumnWriter;
  udpLen!: ColumnWriter;
  icmpType!: ColumnWriter;
  icmpCode!: ColumnWriter;
  /** Dictionary id of this input's `source` value ('pcap' or 'pcapng'). */
  readonly sourceId: number;

  constructor(
    readonly store: EventStore,
    sourceName: string,
  ) {
    this.sourceId = store.dicts.strings('source').intern(sourceName);
  }

  /** Sets the base time from the first packet; later calls do nothing. */
  start(baseNs: bigint): void {
    if (this.builder) return;
    this.baseNs = baseNs;
    const b = this.store.builder(baseNs, BATCH_ROWS);
    this.builder = b;
    this.ts = b.col('ts_ns');
    this.source = b.col('source');
    this.ipver = b.col('ipver');
    this.proto = b.col('proto');
    this.saddr = b.col('saddr');
    this.daddr = b.col('daddr');
    this.sport = b.col('sport');
    this.dport = b.col('dport');
    this.size = b.col('size');
    this.pktLen = b.col('pkt_len');
    this.direction = b.col('direction');
    this.ifindex = b.col('ifindex');
    this.ifname = b.col('ifname');
    this.pid = b.col('pid');
    this.tid = b.col('tid');
    this.comm = b.col('comm');
    this.seq = b.col('tcp_seq');
    this.ack = b.col('tcp_ack');
    this.flags = b.col('tcp_flags');
    this.doff = b.col('tcp_doff');
    this.window = b.col('tcp_window');
    this.csum = b.col('tcp_csum');
    this.urg = b.col('tcp_urg');
    this.options = b.col('tcp_options');
    this.mss = b.col('tcp_mss');
    this.wscale = b.col('tcp_wscale');
    this.tsVal = b.col('tcp_ts_val');
    this.tsEcr = b.col('tcp_ts_ecr');
    this.udpLen = b.col('udp_len');
    this.icmpType = b.col('icmp_type');
    this.icmpCode = b.col('icmp_code');
  }

  /** Starts a row (after `start`); seals the batch first when it is full. */
  addRow(tsRelNs: number, event: number): number {
    const b = this.builder!;
    if (b.full) this.flush();
    const r = b.addRow(tsRelNs, event);
    this.source.set(r, this.sourceId);
    return r;
  }

  /** Drops the row just started (the packet turned out unusable). */
  dropLastRow(): void {
    this.builder?.dropLastRow();
  }

  /** Interns a string of `key` (ifname, comm, dns_*) and returns its id. */
  stringId(key: 'ifname' | 'comm' | 'dns_name' | 'dns_type' | 'dns_rcode' | 'dns_answers', s: string): number {
    return this.store.dicts.strings(key).intern(s);
  }

  setString(key: 'dns_name' | 'dns_type' | 'dns_rcode' | 'dns_answers', row: number, s: string): void {
    this.builder!.setString(key, row, s);
  }

  col(key: 'dns_id'): ColumnWriter {
    return this.builder!.col(key);
  }

  /** Seals the rows so far and appends them to the store. */
  flush(): void {
    const batch = this.builder?.finish();
    if (batch) this.store.append(batch);
  }
}
