/**
 * A deterministic generator of realistic network events for tests and benchmarks: a few
 * processes with TCP and UDP flows, their packets, socket calls, state changes, retransmits, DNS
 * and drops, at increasing timestamps. The same options always give the same events.
 */
import { Dir, IPPROTO, TcpFlagBit, TcpOpt } from '../../renderer/engine/model/enums.js';
import { eventIndex } from '../../renderer/engine/model/events.js';
import type { BatchBuilder, ColumnWriter } from '../../renderer/engine/store/batch-builder.js';
import type { EventStore } from '../../renderer/engine/store/event-store.js';
import { mulberry32 as rng } from './rng.js';

export interface SyntheticOptions {
  /** Number of events to append. */
  count: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Absolute time of the first event, ns (default 2024-05-01T12:00:00Z). */
  startNs?: bigint;
  /** Mean gap between events, ns (default 1000). */
  meanGapNs?: number;
  /** Rows per batch (default 65536). */
  batchRows?: number;
  /**
   * Largest backwards jitter of a timestamp, ns (default 0 = strictly non-decreasing). With a
   * jitter, rows and batches come slightly out of time order, as per-CPU ring buffers deliver them.
   */
  jitterNs?: number;
}

const PROCESSES: readonly (readonly [number, string])[] = [
  [812, 'systemd-resolve'],
  [1204, 'sshd'],
  [2291, 'curl'],
  [2310, 'firefox'],
  [2311, 'firefox'],
  [3050, 'nginx'],
  [3051, 'nginx'],
  [4120, 'postgres'],
  [5001, 'node'],
  [6100, 'chronyd'],
];
const SERVER_PORTS = [443, 80, 22, 5432, 8080, 53, 123, 3000];

/** The share of each event kind, in per-mille; the rest are pkt.tcp. */
const MIX: readonly (readonly [string, number])[] = [
  ['pkt.udp', 140],
  ['sock.send', 120],
  ['sock.recv', 120],
  ['tcp.state', 40],
  ['tcp.probe', 30],
  ['tcp.retransmit', 15],
  ['sock.connect', 12],
  ['dns.query', 10],
  ['dns.answer', 10],
  ['drop.no_socket', 8],
  ['pkt.icmp', 5],
  ['sock.connect_error', 4],
  ['drop.queue_full', 3],
  ['tcp.reset_sent', 2],
  ['sock.send_error', 1],
];

interface Flow {
  readonly pid: number;
  /** Id of the command name in the store's `comm` dictionary. */
  readonly comm: number;
  readonly saddr: number;
  readonly daddr: number;
  readonly sport: number;
  readonly dport: number;
  readonly proto: number;
  readonly cookie: number;
  seq: number;
  ack: number;
}

/** Appends `count` synthetic events to `store`; returns the number appended. */
export function appendSyntheticEvents(store: EventStore, options: SyntheticOptions): number {
  const rand = rng(options.seed ?? 1);
  const startNs = options.startNs ?? 1_714_564_800_000_000_000n;
  const gap = options.meanGapNs ?? 1000;
  const jitter = options.jitterNs ?? 0;
  const builder = store.builder(startNs, options.batchRows ?? 65536);
  const addrs = store.dicts.addrs;
  const local = [addrs.internV4(0xc0a8010a), addrs.internV4(0x7f000001)];
  const v6 = new Uint8Array(16);
  v6.set([0x20, 0x01, 0x0d, 0xb8]);
  const remotes: number[] = [];
  for (let i = 0; i < 120; i++) remotes.push(addrs.internV4((0x5db8d800 + i * 7919) >>> 0));
  for (let i = 0; i < 24; i++) {
    v6[15] = i + 1;
    remotes.push(addrs.internV6(v6, 0));
  }
  const flows: Flow[] = [];
  for (let i = 0; i < 400; i++) {
    const [pid, comm] = PROCESSES[Math.floor(rand() * PROCESSES.length)]!;
    const dport = SERVER_PORTS[Math.floor(rand() * SERVER_PORTS.length)]!;
    flows.push({
      pid,
      comm: store.dicts.strings('comm').intern(comm),
      saddr: local[i % 7 === 0 ? 1 : 0]!,
      daddr: remotes[Math.floor(rand() * remotes.length)]!,
      sport: 32768 + Math.floor(rand() * 28000),
      dport,
      proto: dport === 53 || dport === 123 ? IPPROTO.UDP : IPPROTO.TCP,
      cookie: 4096 + i,
      seq: Math.floor(rand() * 2 ** 32),
      ack: Math.floor(rand() * 2 ** 32),
    });
  }
  const kinds = new Uint8Array(1000).fill(eventIndex('pkt.tcp'));
  let k = 0;
  for (const [id, share] of MIX) kinds.fill(eventIndex(id), k, (k += share));
  const w = writers(builder);
  let t = 0;
  for (let n = 0; n < options.count; n++) {
    t += Math.floor(rand() * 2 * gap);
    const ts = jitter > 0 ? Math.max(0, t - Math.floor(rand() * jitter)) : t;
    const ev = kinds[Math.floor(rand() * 1000)]!;
    const flow = flows[Math.floor(rand() * flows.length)]!;
    if (builder.full) store.append(builder.finish()!);
    const r = builder.addRow(ts, ev);
    fillRow(builder, w, r, ev, flow, rand);
  }
  const last = builder.finish();
  if (last) store.append(last);
  return options.count;
}

type Writers = Record<
  | 'cpu' | 'pid' | 'tid' | 'comm' | 'cookie' | 'ipver' | 'proto' | 'saddr' | 'daddr' | 'sport' | 'dport'
  | 'size' | 'direction' | 'latency' | 'errno' | 'pktLen' | 'seq' | 'ack' | 'flags' | 'window'
  | 'options' | 'mss' | 'udpLen' | 'stateOld' | 'stateNew' | 'cwnd' | 'srtt' | 'icmpType',
  ColumnWriter
>;

function writers(b: BatchBuilder): Writers {
  return {
    cpu: b.col('cpu'), pid: b.col('pid'), tid: b.col('tid'), comm: b.col('comm'),
    cookie: b.col('socket_cookie'), ipver: b.col('ipver'), proto: b.col('proto'),
    saddr: b.col('saddr'), daddr: b.col('daddr'), sport: b.col('sport'), dport: b.col('dport'),
    size: b.col('size'), direction: b.col('direction'), latency: b.col('latency_ns'), errno: b.col('errno'),
    pktLen: b.col('pkt_len'), seq: b.col('tcp_seq'), ack: b.col('tcp_ack'), flags: b.col('tcp_flags'),
    window: b.col('tcp_window'), options: b.col('tcp_options'), mss: b.col('tcp_mss'), udpLen: b.col('udp_len'),
    stateOld: b.col('state_old'), stateNew: b.col('state_new'), cwnd: b.col('snd_cwnd'), srtt: b.col('srtt_us'),
    icmpType: b.col('icmp_type'),
  };
}

const EV = {
  tcp: eventIndex('pkt.tcp'), udp: eventIndex('pkt.udp'), icmp: eventIndex('pkt.icmp'),
  send: eventIndex('sock.send'), recv: eventIndex('sock.recv'), sendErr: eventIndex('sock.send_error'),
  state: eventIndex('tcp.state'), probe: eventIndex('tcp.probe'), connect: eventIndex('sock.connect'),
  connectErr: eventIndex('sock.connect_error'), dnsQuery: eventIndex('dns.query'), dnsAnswer: eventIndex('dns.answer'),
};

function fillRow(b: BatchBuilder, w: Writers, r: number, ev: number, flow: Flow, rand: () => number): void {
  const outgoing = rand() < 0.5;
  w.cpu.set(r, Math.floor(rand() * 8));
  w.pid.set(r, flow.pid);
  w.tid.set(r, flow.pid + (rand() < 0.2 ? 1 : 0));
  w.comm.set(r, flow.comm);
  w.cookie.set(r, flow.cookie);
  w.ipver.set(r, b.dicts.addrs.version(flow.daddr));
  const isPacket = ev === EV.tcp || ev === EV.udp || ev === EV.icmp;
  w.proto.set(r, ev === EV.icmp ? IPPROTO.ICMP : ev === EV.udp || ev === EV.dnsQuery || ev === EV.dnsAnswer ? IPPROTO.UDP : flow.proto);
  w.saddr.set(r, outgoing ? flow.saddr : flow.daddr);
  w.daddr.set(r, outgoing ? flow.daddr : flow.saddr);
  if (ev !== EV.icmp) {
    w.sport.set(r, outgoing ? flow.sport : flow.dport);
    w.dport.set(r, outgoing ? flow.dport : flow.sport);
  }
  const size = rand() < 0.4 ? 0 : Math.floor(rand() * 1448);
  if (isPacket) {
    w.direction.set(r, outgoing ? Dir.output : Dir.input);
    w.size.set(r, size);
    w.pktLen.set(r, size + (ev === EV.tcp ? 52 : 28));
  }
  if (ev === EV.tcp) {
    flow.seq = (flow.seq + size) >>> 0;
    w.seq.set(r, flow.seq);
    w.ack.set(r, flow.ack);
    const syn = rand() < 0.02;
    w.flags.set(r, syn ? TcpFlagBit.SYN : TcpFlagBit.ACK | (size > 0 ? TcpFlagBit.PSH : 0));
    w.window.set(r, 502 + Math.floor(rand() * 64000));
    if (syn) {
      w.options.set(r, TcpOpt.MSS | TcpOpt.SACK_PERM);
      w.mss.set(r, 1460);
    }
  } else if (ev === EV.udp) {
    w.udpLen.set(r, size + 8);
  } else if (ev === EV.icmp) {
    w.icmpType.set(r, 3);
  } else if (ev === EV.send || ev === EV.recv || ev === EV.sendErr) {
    w.direction.set(r, ev === EV.recv ? Dir.receive : Dir.send);
    w.size.set(r, size);
    w.latency.set(r, 800 + Math.floor(rand() * 40000));
    if (ev === EV.sendErr) w.errno.set(r, 32);
  } else if (ev === EV.state) {
    const from = 1 + Math.floor(rand() * 11);
    w.stateOld.set(r, from);
    w.stateNew.set(r, from === 11 ? 1 : from + 1);
  } else if (ev === EV.probe) {
    w.cwnd.set(r, 10 + Math.floor(rand() * 90));
    w.srtt.set(r, 200 + Math.floor(rand() * 30000));
  } else if (ev === EV.connectErr) {
    w.errno.set(r, 111);
  } else if (ev === EV.dnsQuery || ev === EV.dnsAnswer) {
    w.size.set(r, 40 + Math.floor(rand() * 80));
  }
}

/** One hand-written row for small test stores: time (ns after the base), event id, and stored fields. */
export interface TestRow {
  readonly ts: number;
  readonly event: string;
  readonly pid?: number;
  readonly comm?: string;
  readonly proto?: number;
  readonly saddr?: string;
  readonly daddr?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly size?: number;
  readonly latency_ns?: number;
}

/**
 * Appends `batches` (each a list of rows, sealed as one batch) to `store`, all relative to
 * `baseNs`; returns the store. Rows keep the given order, so tests can make out-of-order input.
 */
export function appendTestRows(store: EventStore, batches: readonly (readonly TestRow[])[], baseNs = 1_000_000_000n): EventStore {
  for (const rows of batches) {
    const b = store.builder(baseNs, Math.max(1, rows.length));
    for (const row of rows) {
      const r = b.addRow(row.ts, eventIndex(row.event));
      if (row.pid !== undefined) b.col('pid').set(r, row.pid);
      if (row.comm !== undefined) b.setString('comm', r, row.comm);
      if (row.proto !== undefined) b.col('proto').set(r, row.proto);
      if (row.saddr !== undefined) b.col('saddr').set(r, store.dicts.addrs.internText(row.saddr)!);
      if (row.daddr !== undefined) b.col('daddr').set(r, store.dicts.addrs.internText(row.daddr)!);
      if (row.sport !== undefined) b.col('sport').set(r, row.sport);
      if (row.dport !== undefined) b.col('dport').set(r, row.dport);
      if (row.size !== undefined) b.col('size').set(r, row.size);
      if (row.latency_ns !== undefined) b.col('latency_ns').set(r, row.latency_ns);
    }
    const batch = b.finish();
    if (batch) store.append(batch);
  }
  return store;
}
