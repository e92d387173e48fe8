// The round trip of issue 2 as users run it: pcap → WireView trace → pcapng → trace gives the
// same packet events, compared as JSON Lines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir, repoRoot } from '../paths.js';

const bin = join(repoRoot, 'bin', 'wireview.js');
const work = mkdtempSync(join(tmpdir(), 'wireview-chain-'));

function wireview(...args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, `wireview ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Packet events as JSON objects, without the keys that name the input format. */
function packets(file: string): Record<string, unknown>[] {
  return wireview('export', file, '--format', 'jsonl', '--filter', "evt.name startswith 'pkt.'")
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      delete o.source;
      return o;
    });
}

for (const name of ['tcp-handshake-nano.pcap', 'ipv4_tcp_http_xml.pcap', 'dns_tcp.pcap', 'LINKTYPE_RAW_ipv6.pcap', 'icmp-cksum-oobr-1.pcap']) {
  test(`pcap → trace → pcapng → trace keeps the packet events: ${name}`, () => {
    const src = join(corpusDir, name);
    const trace1 = join(work, `${name}.1.arrows`);
    const pcapng = join(work, `${name}.pcapng`);
    const trace2 = join(work, `${name}.2.arrows`);
    wireview('import', src, '-o', trace1);
    wireview('export', trace1, '--format', 'pcapng', '-o', pcapng);
    wireview('import', pcapng, '-o', trace2);
    const before = packets(src);
    assert.ok(before.length > 0, 'the file has packet events');
    const after = packets(trace2);
    // ifindex/ifname name the interface in the file: pcapng export keeps them, pcap has none.
    for (const o of [...before, ...after]) {
      delete o.ifindex;
      delete o.ifname;
    }
    assert.deepEqual(after, before);
  });
}
