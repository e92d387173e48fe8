/**
 * A deterministic generator of a realistic TCP capture for benchmarks and tests: classic pcap
 * (µs, Ethernet, TCP cut to 128 bytes as `tcpdump -s 128` would, DNS whole), many interleaved IPv4 connections each with a handshake (SYN
 * with MSS/SACK-permitted/timestamps/window scale), data segments and ACKs both ways, and a FIN
 * teardown, plus DNS queries and answers over UDP now and then. The same seed gives the same bytes.
 */
import dnsPacket from 'dns-packet';
import { mulberry32 as rng } from './rng.js';

const SNAP = 128;
const ETH = 14;

interface Conn {
  client: number;
  server: number;
  cport: number;
  sport: number;
  cseq: number;
  sseq: number;
  /** 0 SYN, 1 SYN-ACK, 2 ACK, 3… data, then FIN steps. */
  step: number;
  segments: number;
}

class PcapBuilder {
  buf: Uint8Array;
  view: DataView;
  p = 0;
  packets = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
    const v = this.view;
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, 65535, true);
    v.setUint32(20, 1, true);
    this.p = 24;
  }

  /** Appends one Ethernet/IPv4 frame whose IP packet is `ip` (headers plus `payload` more bytes on the wire). */
  frame(tsUs: number, ip: Uint8Array, wirePayload: number, snap = SNAP): void {
    const wire = ETH + ip.length + wirePayload;
    const cap = Math.min(snap, wire);
    if (this.p + 16 + cap > this.buf.length) this.grow();
    const v = this.view;
    v.setUint32(this.p, Math.floor(tsUs / 1e6), true);
    v.setUint32(this.p + 4, tsUs % 1e6, true);
    v.setUint32(this.p + 8, cap, true);
    v.setUint32(this.p + 12, wire, true);
    const f = this.p + 16;
    this.buf.fill(0, f, f + cap);
    this.buf.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00], f);
    this.buf.set(ip.subarray(0, cap - ETH), f + ETH);
    this.p = f + cap;
    this.packets++;
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf.subarray(0, this.p));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

function ipv4(src: number, dst: number, proto: number, l4: Uint8Array, payload: number): Uint8Array {
  const h = new Uint8Array(20 + l4.length);
  const v = new DataView(h.buffer);
  h[0] = 0x45;
  v.setUint16(2, 20 + l4.length + payload);
  v.setUint16(6, 0x4000);
  h[8] = 64;
  h[9] = proto;
  v.setUint32(12, src);
  v.setUint32(16, dst);
  h.set(l4, 20);
  return h;
}

function tcp(c: Conn, fromClient: boolean, flags: number, withOptions: boolean): Uint8Array {
  const opts = withOptions ? [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7] : [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1];
  const h = new Uint8Array(20 + opts.length);
  const v = new DataView(h.buffer);
  v.setUint16(0, fromClient ? c.cport : c.sport);
  v.setUint16(2, fromClient ? c.sport : c.cport);
  v.setUint32(4, fromClient ? c.cseq : c.sseq);
  v.setUint32(8, flags & 0x10 ? (fromClient ? c.sseq : c.cseq) : 0);
  h[12] = (h.length / 4) << 4;
  h[13] = flags;
  v.setUint16(14, 502);
  v.setUint16(16, (c.cseq ^ c.sseq) & 0xffff);
  h.set(opts, 20);
  return h;
}

/** `packets` packets (exactly) of generated traffic as a pcap file. */
export function makePcap(packets: number, seed = 1): Uint8Array {
  const rand = rng(seed);
  const out = new PcapBuilder(Math.min(1 << 30, packets * 140 + 1024));
  const open: Conn[] = [];
  let ts = 1_700_000_000 * 1e6;
  let nextPort = 32768;
  let dnsId = 1;
  const SYN = 2, ACK = 0x10, PSH = 8, FIN = 1;
  while (out.packets < packets) {
    ts += 1 + Math.floor(rand() * 40);
    if (rand() < 0.01 && packets - out.packets >= 2) {
      dnsExchange(out, ts, rand, dnsId++);
      continue;
    }
    if (open.length < 64 && (open.length === 0 || rand() < 0.02)) {
      open.push({
        client: 0x0a000000 + 1 + Math.floor(rand() * 200),
        server: 0xc0000200 + 1 + Math.floor(rand() * 50),
        cport: nextPort,
        sport: rand() < 0.7 ? 443 : 80,
        cseq: Math.floor(rand() * 0xffffffff),
        sseq: Math.floor(rand() * 0xffffffff),
        step: 0,
        segments: 4 + Math.floor(rand() * 60),
      });
      nextPort = nextPort === 60999 ? 32768 : nextPort + 1;
    }
    const i = Math.floor(rand() * open.length);
    const c = open[i]!;
    const send = (fromClient: boolean, flags: number, payload: number, opts: boolean): void => {
      const seg = tcp(c, fromClient, flags, opts);
      out.frame(ts, ipv4(fromClient ? c.client : c.server, fromClient ? c.server : c.client, 6, seg, payload), payload);
      const adv = payload + (flags & (SYN | FIN) ? 1 : 0);
      if (fromClient) c.cseq = (c.cseq + adv) >>> 0;
      else c.sseq = (c.sseq + adv) >>> 0;
    };
    if (c.step === 0) send(true, SYN, 0, true);
    else if (c.step === 1) send(false, SYN | ACK, 0, true);
    else if (c.step === 2) send(true, ACK, 0, false);
    else if (c.step < 3 + c.segments) {
      const fromClient = c.step % 4 === 3;
      send(fromClient, PSH | ACK, fromClient ? 100 + Math.floor(rand() * 400) : 1448, false);
    } else if (c.step === 3 + c.segments) send(true, ACK, 0, false);
    else if (c.step === 4 + c.segments) send(true, FIN | ACK, 0, false);
    else if (c.step === 5 + c.segments) send(false, FIN | ACK, 0, false);
    else {
      send(true, ACK, 0, false);
      open.splice(i, 1);
      continue;
    }
    c.step++;
  }
  return out.buf.slice(0, out.p);
}

function dnsExchange(out: PcapBuilder, ts: number, rand: () => number, seq: number): void {
  const name = `host${Math.floor(rand() * 100)}.example.com`;
  const id = seq & 0xffff;
  const q = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
  const a = dnsPacket.encode({
    type: 'response',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name }],
    answers: [
      { type: 'CNAME', name, data: `edge.${name}` },
      { type: 'A', name: `edge.${name}`, data: `192.0.2.${1 + Math.floor(rand() * 50)}` },
    ],
  });
  const client = 0x0a000001;
  const resolver = 0x0a0000fe;
  const udp = (sport: number, dport: number, msg: Uint8Array): Uint8Array => {
    const h = new Uint8Array(8 + msg.length);
    const v = new DataView(h.buffer);
    v.setUint16(0, sport);
    v.setUint16(2, dport);
    v.setUint16(4, h.length);
    h.set(msg, 8);
    return h;
  };
  out.frame(ts, ipv4(client, resolver, 17, udp(40000 + (id % 1000), 53, q), 0), 0, 65535);
  out.frame(ts + 1, ipv4(resolver, client, 17, udp(53, 40000 + (id % 1000), a), 0), 0, 65535);
}
