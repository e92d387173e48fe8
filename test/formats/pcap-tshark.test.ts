/**
 * Our pcap import agrees with tshark, packet by packet, on a selection of tcpdump's test captures
 * with TCP, UDP and ICMP over Ethernet, Linux cooked, raw IP and BSD loopback: addresses, ports,
 * TCP flags, raw seq/ack, TCP payload length, UDP length, IP length, ICMP type/code.
 * Deliberate differences, not compared: tshark reassembles IP fragments (turned off here with
 * ip.defragment/ipv6.defragment) and decodes tunnels (GRE, VXLAN…), where we report the outer
 * packet: frames where tshark sees more than one IP header are skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../paths.js';
import { importCapture, rowObjects } from './pcap-import-helpers.js';

const FILES = [
  'afs.pcap', 'mptcp-v0.pcap', 'of13_ericsson.pcapng', 'resp_3_malicious.pcap', 'of10_s4810.pcap',
  'babel_rfc6126bis.pcap', 'ssh.pcap', 'edns-opts.pcap', 'dhcp-rfc4388.pcap', 'quic_vn.pcap', 'babel_rtt.pcap',
  'mptcp-v1.pcap', 'tfo-5c1fa7f9ae91.pcap', 'dns_tcp.pcap', 'icmpv6.pcap', 'icmp6-rfc8335.pcap',
  'accecn_handshake.pcap', 'print-flags.pcap', 'ntp.pcap', 'tftp.pcap', 'dnssec.pcap', 'ikev2four.pcap',
  'icmp-rfc8335.pcap', 'bgp-4byte-asn.pcap', 'tcp-handshake-nano.pcap', 'LINKTYPE_RAW_ipv6.pcap',
];

const FIELDS = [
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.len', 'ipv6.plen', 'ip.frag_offset',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len',
  'udp.srcport', 'udp.dstport', 'udp.length', 'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
];

function tsharkRows(file: string): Map<string, string>[] {
  const args = ['-r', file, '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-T', 'fields', '-E', 'separator=\t'];
  for (const f of FIELDS) args.push('-e', f);
  const text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => new Map(line.split('\t').map((v, i) => [FIELDS[i]!, v])));
}

const first = (v: string | undefined): string => (v ?? '').split(',')[0]!;
const num = (v: string | undefined): number | undefined => (first(v) === '' ? undefined : Number(first(v)));

let compared = 0;
for (const name of FILES) {
  test(`pcap import agrees with tshark: ${name}`, () => {
    const path = join(corpusDir, name);
    const ours = rowObjects(importCapture(new Uint8Array(readFileSync(path)))).filter((o) => String(o.event).startsWith('pkt.'));
    const theirs = tsharkRows(path).filter((t) => first(t.get('ip.src')) !== '' || first(t.get('ipv6.src')) !== '');
    assert.equal(ours.length, theirs.length, 'IP packets');
    for (let i = 0; i < ours.length; i++) {
      const o = ours[i]!;
      const t = theirs[i]!;
      const layers = (t.get('ip.src')!.split(',').length - (t.get('ip.src') === '' ? 1 : 0)) + (t.get('ipv6.src')!.split(',').length - (t.get('ipv6.src') === '' ? 1 : 0));
      if (layers > 1) continue;
      const at = `${name} packet ${i + 1}`;
      const v4 = o.ipver === 4;
      assert.equal(o.saddr, first(t.get(v4 ? 'ip.src' : 'ipv6.src')), `${at} saddr`);
      assert.equal(o.daddr, first(t.get(v4 ? 'ip.dst' : 'ipv6.dst')), `${at} daddr`);
      if (v4) assert.equal(o.pkt_len, num(t.get('ip.len')), `${at} ip.len`);
      if (o.event === 'pkt.tcp' && t.get('tcp.srcport') !== '') {
        assert.equal(o.sport, num(t.get('tcp.srcport')), `${at} sport`);
        assert.equal(o.dport, num(t.get('tcp.dstport')), `${at} dport`);
        if (t.get('tcp.seq_raw') !== '') {
          assert.equal(o.tcp_seq, num(t.get('tcp.seq_raw')), `${at} seq`);
          assert.equal(o.tcp_ack, num(t.get('tcp.ack_raw')), `${at} ack`);
          const flags = (num(t.get('tcp.flags')) ?? 0) & 0x1ff;
          const mine = (o.tcp_flags as string[]).reduce((m, f) => m | (1 << ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'].indexOf(f)), 0);
          assert.equal(mine, flags, `${at} flags`);
        }
        if (t.get('tcp.len') !== '') assert.equal(o.size, num(t.get('tcp.len')), `${at} tcp.len`);
      } else if (o.event === 'pkt.udp' && t.get('udp.srcport') !== '') {
        assert.equal(o.sport, num(t.get('udp.srcport')), `${at} sport`);
        assert.equal(o.dport, num(t.get('udp.dstport')), `${at} dport`);
        if (t.get('udp.length') !== '') assert.equal(o.udp_len, num(t.get('udp.length')), `${at} udp.length`);
      } else if (o.event === 'pkt.icmp') {
        const type = num(t.get(v4 ? 'icmp.type' : 'icmpv6.type'));
        if (type !== undefined) {
          assert.equal(o.icmp_type, type, `${at} icmp type`);
          assert.equal(o.icmp_code, num(t.get(v4 ? 'icmp.code' : 'icmpv6.code')), `${at} icmp code`);
        }
      }
      compared++;
    }
  });
}

test('tshark agreement covered packets', () => {
  assert.ok(compared > 1500, `compared ${compared} packets`);
});
