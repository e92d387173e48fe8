/**
 * Round trips: pcap → store → pcapng → store gives the same packet events for every capture of
 * the corpus (dns.* events are not packets and are not exported); tshark and capinfos read our
 * pcapng with the same packet count and the process comment; chunk boundaries do not matter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPcapng } from '../../renderer/engine/formats/pcap/pcapng-export.js';
import type { Column } from '../../renderer/engine/store/batch.js';
import type { EventStore } from '../../renderer/engine/store/event-store.js';
import { toJson } from '../../renderer/engine/values/field-values.js';
import { corpusDir } from '../paths.js';
import { makePcap } from '../support/make-pcap.js';
import { importCapture, rowObjects } from './pcap-import-helpers.js';

function toPcapng(store: EventStore): Uint8Array {
  const parts: Uint8Array[] = [];
  exportPcapng(store, undefined, (c) => parts.push(c));
  return Buffer.concat(parts);
}

/** Packet events as JSON text, without `source` (pcap vs pcapng). */
function packetRows(store: EventStore): string[] {
  return rowObjects(store)
    .filter((o) => String(o.event).startsWith('pkt.'))
    .map((o) => {
      delete o.source;
      return toJson(o);
    });
}

test('pcap → store → pcapng → store keeps every packet event of the corpus', () => {
  let files = 0;
  let packets = 0;
  for (const name of readdirSync(corpusDir).sort()) {
    let first: EventStore;
    try {
      first = importCapture(new Uint8Array(readFileSync(join(corpusDir, name))));
    } catch {
      continue; // refused files are covered by the corpus test
    }
    const again = importCapture(toPcapng(first));
    assert.deepEqual(packetRows(again), packetRows(first), name);
    files++;
    packets += first.rowCount;
  }
  assert.ok(files >= 800 && packets > 4000, `${files} files, ${packets} rows`);
});

test('process details and direction survive export and re-import', () => {
  const store = importCapture(makePcap(2000, 7));
  // Give every packet row a process and a direction, as a live capture would.
  for (const batch of store.batches) {
    const cols = batch.columns as Record<string, Column>;
    cols.pid = { form: 'dense', values: new Uint32Array(batch.length).fill(4242), valid: null };
    cols.tid = { form: 'const', value: 4243, valid: null };
    cols.comm = { form: 'const', value: store.dicts.strings('comm').intern('curl worker'), valid: null };
    cols.direction = { form: 'dense', values: new Uint8Array(batch.length).fill(3), valid: null };
  }
  const again = importCapture(toPcapng(store));
  const a = packetRows(store);
  assert.deepEqual(packetRows(again), a);
  assert.match(a[0]!, /"pid":4242,"tid":4243,"comm":"curl worker"/);
});

test('tshark and capinfos read our pcapng with the same packets', () => {
  const store = importCapture(makePcap(5000, 3));
  const dir = mkdtempSync(join(tmpdir(), 'wireview-pcapng-'));
  try {
    const path = join(dir, 'out.pcapng');
    for (const batch of store.batches) {
      const cols = batch.columns as Record<string, Column>;
      cols.pid = { form: 'const', value: 77, valid: null };
    }
    writeFileSync(path, toPcapng(store));
    const expected = packetRows(store).length;
    const info = execFileSync('capinfos', ['-c', '-M', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.match(info, new RegExp(`Number of packets:\\s+${expected}\\b`));
    const fields = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.comment', '-e', 'ip.src', '-e', 'tcp.seq_raw', '-e', 'tcp.len'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 26,
    });
    const lines = fields.trim().split('\n');
    assert.equal(lines.length, expected);
    const firstTcp = rowObjects(store).find((o) => o.event === 'pkt.tcp')!;
    const line = lines.find((l) => l.split('\t')[2] === String(firstTcp.tcp_seq))!;
    assert.deepEqual(line.split('\t'), ['pid=77', firstTcp.saddr, String(firstTcp.tcp_seq), String(firstTcp.size)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('chunk boundaries do not change the result', () => {
  const bytes = makePcap(3000, 11);
  const whole = rowObjects(importCapture(bytes, bytes.length)).map((o) => toJson(o));
  for (const chunk of [1, 7, 100, 4096]) assert.deepEqual(rowObjects(importCapture(bytes, chunk)).map((o) => toJson(o)), whole, `chunks of ${chunk}`);
  const ng = toPcapng(importCapture(bytes));
  assert.deepEqual(packetRows(importCapture(ng, 13)), packetRows(importCapture(ng, ng.length)));
});

test('a capture cut inside a record keeps the whole records and says so', () => {
  const bytes = makePcap(100, 5);
  const full = importCapture(bytes);
  const cut = importCapture(bytes.subarray(0, bytes.length - 10));
  assert.ok(cut.meta.truncated);
  assert.ok(cut.rowCount < full.rowCount && cut.rowCount >= full.rowCount - 3);
  assert.equal(full.meta.truncated, undefined);
});
