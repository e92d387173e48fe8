/**
 * `wireview flows` as users run it: the table, the JSON fields of the issue per flow with exact
 * absolute times, --filter, the same flows from a pcap and from the trace imported from it, and
 * one-line errors with status 2 for bad input.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { corpusDir, repoRoot } from '../paths.js';

const bin = join(repoRoot, 'bin', 'wireview.js');
const work = mkdtempSync(join(tmpdir(), 'wireview-flows-'));
after(() => rmSync(work, { recursive: true, force: true }));
const dnsTcp = join(corpusDir, 'dns_tcp.pcap');
const several = join(corpusDir, 'kday4.pcap');

function wireview(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const jsonLines = (text: string): Record<string, unknown>[] => text.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

test('flows --json: one object per flow with the fields of the issue; times are exact absolute ns', () => {
  const r = wireview('flows', dnsTcp, '--json');
  assert.equal(r.status, 0, r.stderr);
  const [flow, ...more] = jsonLines(r.stdout);
  assert.equal(more.length, 0);
  assert.deepEqual(
    Object.keys(flow!).filter((k) => ['proto', 'client', 'server', 'first_ts_ns', 'last_ts_ns', 'packets', 'bytes', 'pid', 'comm', 'handshake', 'end', 'retransmissions'].includes(k)).length,
    12,
  );
  assert.deepEqual([flow!.proto, flow!.client, flow!.server, flow!.packets, flow!.bytes, flow!.end, flow!.retransmissions], [
    'tcp', { addr: '192.168.1.11', port: 33779 }, { addr: '209.87.249.18', port: 53 }, 11, { to_server: 318, to_client: 430 }, 'fin', 0,
  ]);
  // exact integers, as in the pcap's microsecond timestamps (JSON.parse would round them)
  assert.match(r.stdout, /"first_ts_ns":1591780863720289000,/);
  const h = flow!.handshake as Record<string, unknown>;
  assert.deepEqual([h.status, h.syn_retransmits, h.rtt_ns, h.mss, h.wscale, h.sack, h.timestamps, h.ecn], ['established', 0, 126771000, 1460, null, false, false, false]);
});

test('flows: the human table lists each flow with its diagnosis; --filter keeps flows with a matching event', () => {
  const all = wireview('flows', several);
  assert.equal(all.status, 0, all.stderr);
  const count = Number(/^(\d+) flows?$/m.exec(all.stdout)?.[1]);
  assert.ok(count > 1, all.stdout);
  assert.equal(all.stdout.trimEnd().split('\n').length, count + 2, 'header, one line per flow, total');
  const flows = jsonLines(wireview('flows', several, '--json').stdout);
  const port = (flows[0]!.server as { port: number }).port;
  const kept = jsonLines(wireview('flows', several, '--json', '--filter', `net.sport = ${port} or net.dport = ${port}`).stdout);
  assert.deepEqual(kept, flows.filter((f) => (f.server as { port: number }).port === port || (f.client as { port: number }).port === port));
});

test('flows: the same flows from a pcap and from the WireView trace imported from it', () => {
  const trace = join(work, 'kday4.arrows');
  assert.equal(wireview('import', several, '-o', trace).status, 0);
  assert.equal(wireview('flows', trace, '--json').stdout, wireview('flows', several, '--json').stdout);
});

test('flows: bad input is one line on stderr and status 2', () => {
  for (const [args, needle] of [
    [['flows'], 'expects one input file'],
    [['flows', dnsTcp, '--filter', 'net.dport =='], '--filter'],
    [['flows', join(work, 'missing.pcap')], 'missing.pcap'],
    [['flows', dnsTcp, '--bogus'], 'bogus'],
  ] as const) {
    const r = wireview(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(needle), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const garbage = join(work, 'garbage.pcap');
  writeFileSync(garbage, 'not a capture at all\n');
  const r = wireview('flows', garbage);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^wireview flows: .*garbage\.pcap/);
});
