import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dir, IPPROTO, TCP_STATES, TcpFlagBit as F, TcpOpt } from '../model/enums.js';
import { eventIndex } from '../model/events.js';
import type { StoredFieldKey } from '../model/fields.js';
import { EventStore } from '../store/event-store.js';
import { buildFlows, SLOW_RTT_FACTOR } from './build.js';
import { flowLadder } from './ladder.js';
import { flowSeries } from './series.js';

const C = { addr: '10.0.0.1', port: 40000 };
const S = { addr: '10.0.0.2', port: 80 };
const ms = 1e6;

/** A segment or socket event of the connection C ↔ S (or another one), for hand-made stores. */
interface Ev {
  ts: number;
  event?: string;
  /** Sender: c (client) or s (server). */
  from?: 'c' | 's';
  flags?: number;
  seq?: number;
  ack?: number;
  size?: number;
  dir?: number;
  cookie?: number;
  set?: Partial<Record<StoredFieldKey, number>>;
  strings?: Partial<Record<StoredFieldKey, string>>;
  client?: { addr: string; port: number };
}

function store(events: readonly Ev[]): EventStore {
  const st = new EventStore();
  const b = st.builder(1_000_000_000n, events.length);
  for (const e of events) {
    const r = b.addRow(e.ts, eventIndex(e.event ?? 'pkt.tcp'));
    const client = e.client ?? C;
    const [src, dst] = e.from === 's' ? [S, client] : [client, S];
    b.col('proto').set(r, IPPROTO.TCP);
    b.col('ipver').set(r, 4);
    b.col('saddr').set(r, st.dicts.addrs.internText(src.addr)!);
    b.col('daddr').set(r, st.dicts.addrs.internText(dst.addr)!);
    b.col('sport').set(r, src.port);
    b.col('dport').set(r, dst.port);
    if ((e.event ?? 'pkt.tcp') === 'pkt.tcp') {
      b.col('tcp_flags').set(r, e.flags ?? F.ACK);
      b.col('tcp_seq').set(r, e.seq ?? 0);
      b.col('tcp_ack').set(r, e.ack ?? 0);
      b.col('size').set(r, e.size ?? 0);
      b.col('pkt_len').set(r, 40 + (e.size ?? 0));
      if (e.dir !== undefined) b.col('direction').set(r, e.dir);
    }
    if (e.cookie !== undefined) b.col('socket_cookie').set(r, e.cookie);
    for (const [k, v] of Object.entries(e.set ?? {})) b.col(k as StoredFieldKey).set(r, v as number);
    for (const [k, v] of Object.entries(e.strings ?? {})) b.setString(k as StoredFieldKey, r, v as string);
  }
  st.append(b.finish()!);
  return st;
}

const SYN_OPTS = { tcp_options: TcpOpt.MSS | TcpOpt.WSCALE | TcpOpt.SACK_PERM | TcpOpt.TIMESTAMPS, tcp_mss: 1460, tcp_wscale: 7 };
const handshake = (t0: number, rtt = 10 * ms): Ev[] => [
  { ts: t0, from: 'c', flags: F.SYN, seq: 1000, set: SYN_OPTS },
  { ts: t0 + rtt, from: 's', flags: F.SYN | F.ACK, seq: 5000, ack: 1001, set: { ...SYN_OPTS, tcp_mss: 1400, tcp_wscale: 8 } },
  { ts: t0 + rtt + 1000, from: 'c', flags: F.ACK, seq: 1001, ack: 5001 },
];

test('an established connection: RTT, negotiated options, bytes each way, FIN/FIN with TIME_WAIT on the first closer', () => {
  const t = buildFlows(
    store([
      ...handshake(0),
      { ts: 11 * ms, from: 'c', flags: F.ACK | F.PSH, seq: 1001, ack: 5001, size: 100 },
      { ts: 21 * ms, from: 's', flags: F.ACK | F.PSH, seq: 5001, ack: 1101, size: 300 },
      { ts: 30 * ms, from: 'c', flags: F.ACK | F.FIN, seq: 1101, ack: 5301 },
      { ts: 40 * ms, from: 's', flags: F.ACK | F.FIN, seq: 5301, ack: 1102 },
      { ts: 41 * ms, from: 'c', flags: F.ACK, seq: 1102, ack: 5302 },
    ]),
  );
  assert.equal(t.flows.length, 1);
  const f = t.flows[0]!;
  assert.deepEqual([f.client, f.server], [C, S]);
  assert.deepEqual([f.packets, f.packetsToServer, f.bytesToServer, f.bytesToClient, f.payloadToServer, f.payloadToClient], [8, 5, 300, 420, 100, 300]);
  const h = f.handshake;
  assert.deepEqual([h.status, h.rttNs, h.synToSynackNs, h.synackToAckNs], ['established', 10 * ms + 1000, 10 * ms, 1000]);
  assert.deepEqual([h.mss, h.wscale, h.sack, h.timestamps, h.ecn], [1400, { client: 7, server: 8 }, true, true, false]);
  assert.deepEqual(f.teardown, { end: 'fin', finBy: ['client', 'server'], reset: null, timeWait: 'client' });
  assert.deepEqual([f.begin, f.endAt], [{ ts: 10 * ms + 1000, row: 2 }, { ts: 41 * ms, row: 7 }]);
  assert.equal(f.retransmissions, 0);
});

/** A SYN to a port without a listener: the SYN dropped (NO_SOCKET, its packet's tuple) and answered by RST-ACK. */
const REFUSED: readonly Ev[] = [
  { ts: 0, from: 'c', flags: F.SYN, seq: 1000 },
  { ts: 50_000, event: 'drop.no_socket', from: 'c', strings: { drop_reason: 'NO_SOCKET' } },
  { ts: 60_000, from: 's', flags: F.RST | F.ACK, seq: 0, ack: 1001 },
];

test('refused: the server answers the SYN with RST-ACK, with the drop reason of the SYN', () => {
  const f = buildFlows(store(REFUSED)).flows[0]!;
  assert.equal(f.handshake.status, 'refused');
  assert.deepEqual(f.handshake.reset, { by: 'server', ts: 60_000, row: 2, phase: 'handshake', dropReason: 'NO_SOCKET', state: null });
  assert.deepEqual([f.teardown.end, f.drops, f.handshake.rttNs], ['rst', 1, null]);
});

test('the ladder marks a drop where it happened: a SYN without a listener at the server, a qdisc drop at the sender', () => {
  const t = buildFlows(store([...REFUSED, { ts: 70_000, event: 'drop.queue_full', from: 'c', strings: { drop_reason: 'QDISC_DROP' } }]));
  const marks = flowLadder(t, 0).items.flatMap((i) => (i.kind === 'mark' ? [`${i.event}:${i.side}`] : []));
  assert.deepEqual(marks, ['drop.no_socket:server', 'drop.queue_full:client']);
});

test('SYN timeout: retransmitted SYNs with their backoff, never answered', () => {
  const f = buildFlows(store([0, 1000, 3000, 7000].map((t) => ({ ts: t * ms, from: 'c' as const, flags: F.SYN, seq: 1000 })))).flows[0]!;
  assert.deepEqual([f.handshake.status, f.handshake.synRetransmits, f.handshake.slow, f.retransmissions], ['timeout', 3, true, 3]);
  assert.deepEqual(f.handshake.synTimes, [0, 1000 * ms, 3000 * ms, 7000 * ms]);
});

test('one unanswered SYN is incomplete; no SYN at all is not_seen (the client is the higher port)', () => {
  assert.equal(buildFlows(store([{ ts: 0, from: 'c', flags: F.SYN, seq: 1 }])).flows[0]!.handshake.status, 'incomplete');
  const f = buildFlows(store([{ ts: 0, from: 's', flags: F.ACK | F.PSH, seq: 1, size: 10 }])).flows[0]!;
  assert.deepEqual([f.handshake.status, f.client, f.teardown.end], ['not_seen', C, 'open']);
});

test('SYN-ACK retransmits without the final ACK: half-open; reset during the handshake by the client', () => {
  const half = buildFlows(
    store([
      { ts: 0, from: 'c', flags: F.SYN, seq: 1 },
      { ts: 1 * ms, from: 's', flags: F.SYN | F.ACK, seq: 9, ack: 2 },
      { ts: 1001 * ms, from: 's', flags: F.SYN | F.ACK, seq: 9, ack: 2 },
    ]),
  ).flows[0]!;
  assert.deepEqual([half.handshake.status, half.handshake.synackRetransmits, half.handshake.halfOpen, half.handshake.slow], ['incomplete', 1, true, true]);
  const reset = buildFlows(
    store([
      { ts: 0, from: 'c', flags: F.SYN, seq: 1 },
      { ts: 1 * ms, from: 's', flags: F.SYN | F.ACK, seq: 9, ack: 2 },
      { ts: 2 * ms, from: 'c', flags: F.RST, seq: 2 },
    ]),
  ).flows[0]!;
  assert.deepEqual([reset.handshake.status, reset.handshake.reset?.by, reset.handshake.reset?.phase, reset.handshake.halfOpen], ['incomplete', 'client', 'handshake', false]);
});

test('simultaneous open: both sides send a SYN', () => {
  const f = buildFlows(
    store([
      { ts: 0, from: 'c', flags: F.SYN, seq: 1 },
      { ts: 1, from: 's', flags: F.SYN, seq: 9 },
      { ts: 2 * ms, from: 'c', flags: F.SYN | F.ACK, seq: 1, ack: 10 },
      { ts: 2 * ms + 1, from: 's', flags: F.SYN | F.ACK, seq: 9, ack: 2 },
      { ts: 3 * ms, from: 'c', flags: F.ACK, seq: 2, ack: 10 },
    ]),
  ).flows;
  assert.equal(f.length, 1);
  assert.deepEqual([f[0]!.handshake.simultaneousOpen, f[0]!.handshake.status], [true, 'established']);
});

test('port reuse: a new SYN with another ISN after the first connection ended starts a second flow', () => {
  const t = buildFlows(
    store([
      ...handshake(0),
      { ts: 20 * ms, from: 's', flags: F.RST, seq: 5001 },
      ...handshake(100 * ms).map((e) => ({ ...e, seq: (e.seq ?? 0) + 77 })),
    ]),
  );
  assert.equal(t.flows.length, 2);
  assert.deepEqual(t.flows.map((f) => [f.handshake.status, f.teardown.end, f.packets]), [['established', 'rst', 4], ['established', 'open', 3]]);
  assert.deepEqual([t.flowOf(3), t.flowOf(4)], [0, 1]);
});

test('retransmissions and keep-alives: a segment below the highest seq counts, a 1-byte probe at next − 1 does not', () => {
  const f = buildFlows(
    store([
      ...handshake(0),
      { ts: 20 * ms, from: 'c', seq: 1001, ack: 5001, size: 100 },
      { ts: 21 * ms, from: 'c', seq: 1101, ack: 5001, size: 100 },
      { ts: 250 * ms, from: 'c', seq: 1001, ack: 5001, size: 100 },
      { ts: 900 * ms, from: 'c', seq: 1200, ack: 5001, size: 1 },
    ]),
  ).flows[0]!;
  assert.equal(f.retransmissions, 1);
});

test('live rows: each segment once although both local sockets saw it; rows of a cookie join without a tuple; sides of socket calls', () => {
  const out = (e: Ev): Ev[] => [
    { ...e, dir: Dir.output, cookie: e.from === 's' ? 2 : 1 },
    { ...e, ts: e.ts + 10, dir: Dir.input, cookie: e.from === 's' ? 1 : 2 },
  ];
  const st = store([
    { ts: 0, event: 'sock.connect', from: 'c', cookie: 1, set: { pid: 7, pid_owner: 1, latency_ns: 5000 }, strings: { comm: 'curl' } },
    ...handshake(100).flatMap(out),
    // the client's receive: the segment's tuple (server → client), the client's socket
    { ts: 10 * ms + 5000, event: 'sock.recv', from: 's', cookie: 1, set: { size: 0 } },
    { ts: 500 * ms, event: 'tcp.state', from: 'c', cookie: 1, set: { state_old: TCP_STATES.indexOf('ESTABLISHED'), state_new: TCP_STATES.indexOf('FIN_WAIT1') } },
  ]);
  // a row with the client's cookie and no tuple
  const b = st.builder(1_000_000_000n, 1);
  const r = b.addRow(501 * ms, eventIndex('sock.shutdown'));
  b.col('socket_cookie').set(r, 1);
  st.append(b.finish()!);
  const t = buildFlows(st);
  assert.equal(t.flows.length, 1);
  const f = t.flows[0]!;
  assert.deepEqual([f.packets, f.rowCount, f.direction, f.pid, f.comm, [...f.cookies].sort()], [3, 10, 'outgoing', 7, 'curl', [1, 2]]);
  const items = flowLadder(t, 0).items;
  assert.deepEqual(items.map((i) => (i.kind === 'packet' ? `${i.from}:${i.flags.join('|')}:${i.peerRow}` : i.kind === 'gap' ? 'gap' : `${i.kind}:${'side' in i ? i.side : ''}`)), [
    'call:client', 'client:SYN:2', 'server:SYN|ACK:4', 'client:ACK:6', 'call:client', 'gap', 'state:client', 'call:client',
  ]);
});

test('slow handshakes: an RTT over SLOW_RTT_FACTOR × the median of at least five', () => {
  const rtts = [10, 11, 12, 10, 11, 10 * SLOW_RTT_FACTOR + 5];
  const t = buildFlows(store(rtts.flatMap((rtt, k) => handshake(k * 1000 * ms, rtt * ms).map((e) => ({ ...e, client: { addr: C.addr, port: 40000 + k } })))));
  assert.deepEqual(t.flows.map((f) => f.handshake.slow), [false, false, false, false, false, true]);
});

test('out-of-order rows are analysed in time order; list filters, sorts and pages', () => {
  const rows = handshake(0).reverse();
  const t = buildFlows(store(rows));
  assert.equal(t.flows[0]!.handshake.status, 'established');
  const two = buildFlows(store([...handshake(0), ...handshake(5 * ms, 50 * ms).map((e) => ({ ...e, client: { addr: C.addr, port: 40001 } }))]));
  assert.deepEqual(two.list({ sort: { key: 'rtt', descending: true } }).flows.map((f) => f.client.port), [40001, 40000]);
  assert.deepEqual(two.list({ filter: 'net.sport = 40001 or net.dport = 40001' }).flows.map((f) => f.client.port), [40001]);
  assert.deepEqual(two.list({ offset: 1, limit: 5 }), { total: 2, flows: [two.flows[1]] });
});

test('series: throughput per bucket, Stevens seq, windows scaled by the negotiated shift, retransmission marks', () => {
  const t = buildFlows(
    store([
      ...handshake(0),
      { ts: 20 * ms, from: 'c', seq: 1001, ack: 5001, size: 100, set: { tcp_window: 10 } },
      { ts: 30 * ms, from: 'c', seq: 1001, ack: 5001, size: 100, set: { tcp_window: 10 } },
    ]),
  );
  const s = flowSeries(t, 0, 3);
  assert.deepEqual([...s.seqToServer.v], [1, 1]);
  assert.deepEqual([...s.retransToServer.t], [30 * ms]);
  assert.deepEqual([...s.windowToServer.v].slice(-2), [10 * 128, 10 * 128]);
  const bytes = [...s.throughputToServer.v].reduce((a, v) => a + (v * s.bucketNs) / 1e9, 0);
  assert.equal(Math.round(bytes), t.flows[0]!.bytesToServer);
});
