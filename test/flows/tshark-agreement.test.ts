/**
 * Flows agree with tshark on tcpdump's test captures and on a generated capture: one flow per
 * tshark TCP conversation (`-z conv,tcp`, frames each way), and per flow the IP bytes each way,
 * the handshake RTT (`tcp.analysis.initial_rtt`) and the retransmissions
 * (`tcp.analysis.retransmission`). Deliberate differences (docs/flows.md "Differences from
 * tshark"), checked here as such rather than skipped:
 * - conv,tcp prints whole-frame bytes with units; bytes are compared as IP lengths per packet
 *   (ip.len, ipv6.plen + 40) from tshark's fields over the same frames;
 * - tshark calls a segment below the highest sequence number "out-of-order" instead of a
 *   retransmission when it comes soon after it; we count every such segment: ours = retransmission
 *   + out_of_order;
 * - tshark times its initial RTT from the SYN to the first ACK of either side, even without a
 *   SYN-ACK (a RST-ACK refusal, a SYN-ACK the capture missed); ours exists for a complete
 *   SYN / SYN-ACK / ACK only, and is null otherwise.
 * The corpus part runs over a fixed list (all the corpus files with TCP flows that tshark decodes
 * as plain IP, minus fuzzed files with broken timestamps, bogus IP headers or lengths, or a
 * connection to itself) to bound CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTrace } from '../../electron/services/input-file.js';
import { buildFlows } from '../../renderer/engine/flows/build.js';
import type { FlowSummary } from '../../renderer/engine/flows/types.js';
import { corpusDir } from '../paths.js';
import { makePcap } from '../support/make-pcap.js';

const FILES = [
  'accecn_handshake.pcap', 'babel_update_oobr.pcap', 'bgp-4byte-asn.pcap',
  'bgp-bgpsec.pcap', 'bgp-infinite-loop.pcap', 'bgp-lu-multiple-labels.pcap', 'bgp-shutdown-msg-variations.pcap',
  'bgp-extended-msg.pcapng', 'bigtcp-ipv4.pcap', 'dns_tcp.pcap', 'gso-ipv4.pcap', 'gso-ipv6.pcap', 'ipv4_tcp_http_xml.pcap',
  'ipv4_tcp_http_xml_tso.pcap', 'kday2.pcap', 'kday4.pcap', 'kday7.pcap', 'ldp-common-session.pcap', 'mptcp-aa-echo.pcap',
  'mptcp-fclose.pcap', 'mptcp-tcprst.pcap', 'mptcp-v0.pcap', 'nfs-write-verf-cookie.pcapng', 'of10_7050sx_bsn.pcap',
  'of10_pf5240.pcap', 'of10_s4810.pcap', 'pptp.pcap', 'print-flags.pcap', 'resp_1_benchmark.pcap', 'resp_3_malicious.pcap',
  'scps_invalid.pcap', 'ssh.pcap', 'tcp-handshake-nano.pcap', 'tcp_rst_data.pcap', 'tfo-5c1fa7f9ae91.pcap', 'whois.pcap',
  'zmtp1.pcap',
];

const FIELDS = ['ip.src', 'ipv6.src', 'tcp.srcport', 'tcp.stream', 'ip.len', 'ipv6.plen', 'tcp.analysis.initial_rtt', 'tcp.analysis.retransmission', 'tcp.analysis.out_of_order'];

interface Stream {
  readonly packets: Map<string, number>;
  readonly bytes: Map<string, number>;
  rttNs: number | null;
  retransmissions: number;
  outOfOrder: number;
  synack: boolean;
}

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = hasTshark ? false : 'tshark is not installed';

function tshark(args: string[]): string {
  return execFileSync('tshark', ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
}

/** Per tcp.stream: packets and IP bytes by source endpoint, initial RTT, retransmissions and out-of-order segments. */
function tsharkStreams(path: string): Stream[] {
  const args = ['-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=\t', '-e', 'tcp.flags.syn', '-e', 'tcp.flags.ack'];
  for (const f of FIELDS) args.push('-e', f);
  const streams: Stream[] = [];
  for (const line of tshark(args).split('\n')) {
    if (line === '') continue;
    const [syn, ack, ip4, ip6, port, stream, len4, plen6, irtt, retx, ooo] = line.split('\t') as string[] as [string, string, string, string, string, string, string, string, string, string, string];
    assert.ok(!ip4.includes(',') && !ip6.includes(','), `${path}: a tunnelled frame (not in the list's kind of files)`);
    const s = (streams[Number(stream)] ??= { packets: new Map(), bytes: new Map(), rttNs: null, retransmissions: 0, outOfOrder: 0, synack: false });
    const src = `${ip4 || ip6}:${port}`;
    s.packets.set(src, (s.packets.get(src) ?? 0) + 1);
    s.bytes.set(src, (s.bytes.get(src) ?? 0) + (len4 ? Number(len4) : Number(plen6) + 40));
    if (irtt) s.rttNs = Math.round(Number(irtt) * 1e9);
    if (retx) s.retransmissions++;
    if (ooo) s.outOfOrder++;
    if (syn === '1' && ack === '1') s.synack = true;
  }
  return streams;
}

/** `-z conv,tcp`: frames each way per conversation, keyed "A:port B:port". */
function conversations(path: string): Map<string, { toB: number; toA: number }> {
  const out = new Map<string, { toB: number; toA: number }>();
  for (const line of tshark(['-r', path, '-q', '-z', 'conv,tcp']).split('\n')) {
    // A:port <-> B:port  frames(B→A) bytes… frames(A→B) bytes… (bytes with units)
    const m = /^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(\d+)\s+\S+\s+\S+\s+(\d+)\s/.exec(line);
    if (m) out.set(`${m[1]}:${m[2]} ${m[3]}:${m[4]}`, { toA: Number(m[5]), toB: Number(m[6]) });
  }
  return out;
}

async function compare(path: string, label: string): Promise<void> {
  const { store } = await openTrace(path);
  const flows = buildFlows(store).flows;
  const streams = tsharkStreams(path).filter((s) => s !== undefined);
  const convs = conversations(path);
  assert.equal(flows.length, streams.length, `${label}: flows vs tcp.stream count`);
  assert.equal(flows.length, convs.size, `${label}: flows vs conv,tcp conversations`);
  const unmatched = new Set(streams);
  for (const flow of flows) {
    const c = `${flow.client.addr}:${flow.client.port}`;
    const s = `${flow.server.addr}:${flow.server.port}`;
    const at = `${label} ${c} → ${s}`;
    const stream = [...unmatched].find((t) => [...t.packets.keys()].every((k) => k === c || k === s));
    assert.ok(stream, `${at}: no tshark stream with these endpoints`);
    unmatched.delete(stream);
    const conv = convs.get(`${c} ${s}`) ?? convs.get(`${s} ${c}`);
    assert.ok(conv, `${at}: not in conv,tcp`);
    const convToServer = convs.has(`${c} ${s}`) ? conv.toB : conv.toA;
    const convToClient = convs.has(`${c} ${s}`) ? conv.toA : conv.toB;
    assert.deepEqual([flow.packetsToServer, flow.packetsToClient], [convToServer, convToClient], `${at}: frames each way (conv,tcp)`);
    assert.deepEqual([flow.bytesToServer, flow.bytesToClient], [stream.bytes.get(c) ?? 0, stream.bytes.get(s) ?? 0], `${at}: IP bytes each way`);
    assert.equal(flow.retransmissions, stream.retransmissions + stream.outOfOrder, `${at}: retransmissions (+ tshark's out-of-order)`);
    if (flow.handshake.status === 'established' && flow.handshake.synToSynackNs !== null) assert.equal(flow.handshake.rttNs, stream.rttNs, `${at}: initial RTT`);
    else assert.equal(flow.handshake.rttNs, null, `${at}: no RTT without a complete handshake (tshark: ${String(stream.rttNs)})`);
  }
}

for (const name of FILES) {
  test(`flows agree with tshark: ${name}`, { skip }, () => compare(join(corpusDir, name), name));
}

test('flows agree with tshark: generated capture of interleaved connections', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wv-flows-'));
  try {
    const path = join(dir, 'generated.pcap');
    writeFileSync(path, makePcap(20_000, 3));
    await compare(path, 'generated.pcap');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the corpus list has refusals, missing SYN-ACKs and out-of-order segments to show the differences', { skip }, async () => {
  const statuses = new Set<string>();
  const all: FlowSummary[] = [];
  for (const name of ['bgp-4byte-asn.pcap', 'ldp-common-session.pcap']) {
    const { store } = await openTrace(join(corpusDir, name));
    for (const f of buildFlows(store).flows) {
      statuses.add(f.handshake.status);
      all.push(f);
    }
  }
  assert.ok(statuses.has('refused'), 'a refused handshake (SYN → RST-ACK)');
  assert.ok(all.some((f) => f.handshake.synToSynackNs === null && f.handshake.status !== 'refused' && f.handshake.synTimes.length > 0), 'a SYN whose SYN-ACK is not in the capture');
});
