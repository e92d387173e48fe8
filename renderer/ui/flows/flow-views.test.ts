/**
 * The words and charts of the Flows view on a real capture (tcpdump's bgp-4byte-asn.pcap: three
 * established BGP sessions, two refused connects): every arrow's label agrees with tshark's
 * relative and raw seq/ack, length and window for the same segment; the refused flows read as
 * refused by the server; the chart options carry every series point.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../engine/engine.js';
import { createPcapImporter } from '../../engine/formats/pcap/pcap-importer.js';
import { corpusDir } from '../../../test/paths.js';
import { chartOption, CHARTS, chartFileName, type ChartColors } from './chart-options.js';
import { diagnosisLines } from './diagnosis-text.js';
import { FLOW_COLUMNS } from './flow-columns.js';
import { nextSort } from './flow-list-sort.js';
import { itemHasRow, itemLabel, packetLabel, packetText, type PacketItem } from './ladder-labels.js';
import { durationText } from './format.js';

const FILE = join(corpusDir, 'bgp-4byte-asn.pcap');
const COLORS: ChartColors = { text: '#000', grid: '#ccc', toServer: '#00f', toClient: '#f80', retrans: '#f00', probe: '#80f' };

function engineOn(file: string): Engine {
  const engine = new Engine({ createImporter: createPcapImporter });
  engine.importChunk({ chunk: readFileSync(file), name: 'bgp-4byte-asn.pcap' });
  engine.importEnd();
  return engine;
}

const noTshark = spawnSync('tshark', ['-v']).status === 0 ? undefined : 'tshark is not installed';

/** tshark's fields of each TCP segment, by raw seq / raw ack (0 without ACK) / flag bits. */
function tsharkSegments(): Map<string, string[]> {
  const out = execFileSync('tshark', ['-r', FILE, '-T', 'fields', '-E', 'separator=/t', '-e', 'tcp.seq_raw', '-e', 'tcp.ack_raw', '-e', 'tcp.flags', '-e', 'tcp.seq', '-e', 'tcp.ack', '-e', 'tcp.len', '-e', 'tcp.window_size_value'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const byRaw = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f[0]) byRaw.set(`${f[0]}/${f[1]}/${Number(f[2])}`, f);
  }
  return byRaw;
}

const FLAG_BITS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'];

/** Each arrow of every flow with tshark's row for its segment; `synSeen`: its sender's SYN is in the trace. */
function arrowsWithTshark(): { item: PacketItem; t: string[]; synSeen: boolean }[] {
  const engine = engineOn(FILE);
  const byRaw = tsharkSegments();
  const out: { item: PacketItem; t: string[]; synSeen: boolean }[] = [];
  for (const flow of engine.flows().flows) {
    const items = engine.flowLadder({ id: flow.id }).items.filter((i): i is PacketItem => i.kind === 'packet');
    const withSyn = new Set(items.filter((i) => i.flags.includes('SYN')).map((i) => i.from));
    for (const item of items) {
      const bits = item.flags.reduce((m, name) => m | (1 << FLAG_BITS.indexOf(name)), 0);
      const t = byRaw.get(`${item.seq}/${item.flags.includes('ACK') ? item.ack : 0}/${bits}`);
      assert.ok(t, `tshark has the segment seq ${item.seq} ack ${item.ack} flags ${bits}`);
      out.push({ item, t, synSeen: withSyn.has(item.from) });
    }
  }
  return out;
}

function expectedText(item: PacketItem, t: string[]): string {
  const [, , , relSeq, relAck, len, win] = t;
  const ack = item.flags.includes('ACK') ? ` ack=${relAck}` : '';
  return `[${item.flags.join(', ')}] seq=${relSeq}${ack} len=${len} win=${win}`;
}

test('every arrow label carries the seq/ack/len/window tshark reads for that segment', { skip: noTshark }, () => {
  const arrows = arrowsWithTshark().filter((a) => a.synSeen);
  for (const { item, t } of arrows) {
    assert.equal(packetText(item, false).replace(' retransmission', ''), expectedText(item, t));
    assert.ok(packetLabel(item).startsWith(`${item.flags.join(', ')} ${item.from}→`), packetLabel(item));
    assert.match(packetLabel(item), new RegExp(`, raw seq ${item.seq}( ack ${item.ack})?,`));
  }
  assert.ok(arrows.length > 70, `${arrows.length} arrows checked`);
});

// A side seen without its SYN counts from its first seq − 1, as tshark does (a refused connect's
// RST, raw seq 0, is seq 1): renderer/engine/flows/segments.ts, SeqTracker.
test('a side seen without its SYN: relative seq as tshark counts it', { skip: noTshark }, () => {
  const arrows = arrowsWithTshark().filter((a) => !a.synSeen);
  assert.ok(arrows.length > 0);
  for (const { item, t } of arrows) assert.equal(packetText(item, false), expectedText(item, t));
});

test('a refused connect reads as refused by the server: SYN → then RST, ACK ←', () => {
  const engine = engineOn(FILE);
  const refused = engine.flows({ sort: { key: 'handshake' } }).flows.filter((f) => f.handshake.status === 'refused');
  assert.equal(refused.length, 2);
  for (const flow of refused) {
    const lines = new Map(diagnosisLines(flow).map((l) => [l.term, l.text]));
    assert.equal(lines.get('Handshake'), 'refused: RST by the server during the handshake');
    assert.equal(lines.get('Teardown'), 'RST by the server during the handshake');
    const arrows = engine.flowLadder({ id: flow.id }).items.filter((i): i is PacketItem => i.kind === 'packet');
    assert.deepEqual(
      arrows.map((a) => packetLabel(a).split(' seq ')[0]),
      ['SYN client→server', 'RST, ACK server→client'],
    );
    assert.equal(FLOW_COLUMNS.find((c) => c.key === 'handshake')!.text(flow), 'refused by server');
  }
  const established = engine.flows().flows.filter((f) => f.handshake.status === 'established');
  assert.equal(established.length, 4);
  for (const flow of established) assert.match(diagnosisLines(flow).find((l) => l.term === 'Handshake')!.text, /^established in [\d.]+ µs \(SYN→SYN-ACK/);
});

test('chart options hold every point of the flow series, in ms since the flow start', () => {
  const engine = engineOn(FILE);
  const flow = engine.flows({ sort: { key: 'bytes_to_server', descending: true }, limit: 1 }).flows[0]!;
  const s = engine.flowSeries({ id: flow.id });
  const seq = chartOption('sequence', flow, s, COLORS) as { series: { name: string; data: [number, number][] }[] };
  assert.equal(seq.series[0]!.data.length, s.seqToServer.t.length);
  assert.ok(s.seqToServer.t.length > 3);
  assert.deepEqual(seq.series[0]!.data[0], [(s.seqToServer.t[0]! - flow.firstTs) / 1e6, s.seqToServer.v[0]]);
  const tp = chartOption('throughput', flow, s, COLORS) as { series: { data: [number, number][] }[] };
  const bytes = tp.series[0]!.data.reduce((sum, [, v]) => sum + (v * s.bucketNs) / 1e9, 0);
  assert.ok(Math.abs(bytes - flow.bytesToServer) < 1e-6 * flow.bytesToServer, `${bytes} bytes charted, ${flow.bytesToServer} in the flow`);
  const rtt = chartOption('rtt', flow, s, COLORS) as { title: { subtext: string } };
  assert.match(rtt.title.subtext, /No tcp\.probe samples/, 'a pcap has no tcp.probe');
  assert.equal(CHARTS.length, 4);
  assert.equal(chartFileName(flow, 'sequence', 'svg'), `flow-${flow.client.addr}_${flow.client.port}-${flow.server.addr}_${flow.server.port}-sequence.svg`);
});

test('a header click sorts ascending, then descending, then not at all', () => {
  const a = nextSort(null, 'rtt');
  assert.deepEqual(a, { key: 'rtt', descending: false });
  const d = nextSort(a, 'rtt');
  assert.deepEqual(d, { key: 'rtt', descending: true });
  assert.equal(nextSort(d, 'rtt'), null);
  assert.deepEqual(nextSort(d, 'start'), { key: 'start', descending: false });
});

test('long pauses of a BGP session are gap rows named with their duration; rows map to their items', () => {
  const engine = engineOn(FILE);
  const flow = engine.flows({ sort: { key: 'duration', descending: true }, limit: 1 }).flows[0]!;
  const items = engine.flowLadder({ id: flow.id }).items;
  const gaps = items.filter((i) => i.kind === 'gap');
  assert.ok(gaps.length > 0, 'a 10 s session with keep-alives has pauses');
  for (const g of gaps) {
    assert.ok(g.durationNs > 100e6);
    assert.equal(itemLabel(g), `gap: ${durationText(g.durationNs)} without events`);
    assert.equal(itemHasRow(g, 0), false);
  }
  for (const i of items) if (i.kind === 'packet') assert.ok(itemHasRow(i, i.row) && !itemHasRow(i, -2));
  assert.equal(durationText(850), '850 ns');
  assert.equal(durationText(12_500), '12.5 µs');
  assert.equal(durationText(1_234_000), '1.234 ms');
  assert.equal(durationText(3e9), '3.000 s');
});
