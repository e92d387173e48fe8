// The `wireview` command as users run it: exit statuses, one-line errors, atomic outputs, every
// input kind recognised by content.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir, repoRoot } from '../paths.js';

const bin = join(repoRoot, 'bin', 'wireview.js');
const work = mkdtempSync(join(tmpdir(), 'wireview-cli-'));
const handshake = join(corpusDir, 'tcp-handshake-nano.pcap');
const http = join(corpusDir, 'ipv4_tcp_http_xml.pcap');

function wireview(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: { status: number | null; stderr: string }, ...needles: string[]): void {
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  for (const n of needles) assert.ok(r.stderr.includes(n), `'${n}' missing in: ${r.stderr}`);
}

test('import writes a trace that info reads back with the same event count', () => {
  const out = join(work, 'http.arrows');
  const r = wireview('import', http, '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const fromPcap = JSON.parse(wireview('info', http, '--json').stdout) as { events: number; by_event: Record<string, number> };
  const fromTrace = JSON.parse(wireview('info', out, '--json').stdout) as { events: number; by_event: Record<string, number>; format: string };
  assert.ok(fromPcap.events > 0);
  assert.equal(fromTrace.events, fromPcap.events);
  assert.deepEqual(fromTrace.by_event, fromPcap.by_event);
  assert.equal(fromTrace.format, 'wireview');
});

test('info --json has the contract keys', () => {
  const r = wireview('info', handshake, '--json');
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const key of ['events', 'first_ts_ns', 'last_ts_ns', 'by_event', 'by_class', 'by_priority', 'lost', 'sources']) {
    assert.ok(key in info, `missing ${key}`);
  }
  assert.match(r.stdout, /"first_ts_ns":\d{19}/, 'absolute ns written as an exact integer');
});

test('export jsonl with a filter keeps only matching events, on stdout', () => {
  const all = wireview('export', handshake, '--format', 'jsonl');
  assert.equal(all.status, 0, all.stderr);
  const rows = all.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { tcp_flags?: string[] });
  const syns = rows.filter((o) => o.tcp_flags?.includes('SYN') && !o.tcp_flags.includes('ACK'));
  assert.ok(syns.length > 0);
  const filtered = wireview('export', handshake, '--format', 'jsonl', '--filter', 'tcp.flags.syn and not tcp.flags.ack');
  assert.equal(filtered.status, 0, filtered.stderr);
  assert.equal(filtered.stdout.trimEnd().split('\n').length, syns.length);
});

test('export pcapng to a file reads back in tshark with the same packet count', () => {
  const out = join(work, 'http.pcapng');
  const r = wireview('export', http, '--format', 'pcapng', '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const theirs = spawnSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  assert.equal(theirs.status, 0, theirs.stderr);
  const ours = JSON.parse(wireview('info', http, '--json').stdout) as { by_class: Record<string, number>; by_event: Record<string, number> };
  const packets = Object.entries(ours.by_event).filter(([k]) => k.startsWith('pkt.')).reduce((s, [, n]) => s + n, 0);
  assert.equal(theirs.stdout.trimEnd().split('\n').length, packets);
});

test('a file that is no trace is refused with one line naming the file, exit 2', () => {
  const junk = join(work, 'junk.bin');
  writeFileSync(junk, 'this is not a capture\n'.repeat(10));
  assertOneLineError(wireview('info', junk), junk);
});

test('a missing file and a bad option are one-line errors', () => {
  assertOneLineError(wireview('info', join(work, 'nope.pcap')), 'nope.pcap', 'no such file');
  assertOneLineError(wireview('export', handshake, '--format', 'xml'), "unknown format 'xml'");
  assertOneLineError(wireview('import', handshake), '-o');
});

test('a bad filter names the column of the mistake and writes nothing', () => {
  const out = join(work, 'never.jsonl');
  const r = wireview('export', handshake, '--format', 'jsonl', '--filter', 'net.dport = = 80', '-o', out);
  assertOneLineError(r, 'column');
  assert.equal(existsSync(out), false);
});

test('a damaged input leaves no output file behind, not even a partial one', () => {
  const damaged = join(work, 'damaged.pcap');
  const bytes = readFileSync(http);
  // A record header claiming a 2 GiB packet right after the file header.
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(0x7fffffff, 24 + 8);
  copy.writeUInt32LE(0x7fffffff, 24 + 12);
  writeFileSync(damaged, copy);
  const out = join(work, 'damaged.arrows');
  const r = wireview('import', damaged, '-o', out);
  assertOneLineError(r, damaged, 'byte');
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(work).filter((n) => n.includes('partial')), []);
});

test('an existing output is replaced only when the new one is complete', () => {
  const out = join(work, 'keep.jsonl');
  copyFileSync(handshake, out);
  const before = readFileSync(out);
  const r = wireview('export', join(work, 'missing.pcap'), '--format', 'jsonl', '-o', out);
  assert.equal(r.status, 2);
  assert.deepEqual(readFileSync(out), before);
});
