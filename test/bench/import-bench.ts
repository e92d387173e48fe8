/**
 * Import speed against tshark on the same generated 1M-packet pcap, and disk bytes per packet
 * event of the native trace written from it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { createPcapImporter } from '../../renderer/engine/formats/pcap/pcap-importer.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { columnBytes } from '../../renderer/engine/store/memory.js';
import { makePcap } from '../support/make-pcap.js';
import { report } from './measure.js';

const TSHARK_FIELDS = ['frame.time_epoch', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len'];

function importOnce(bytes: Uint8Array): { store: EventStore; ms: number } {
  const store = new EventStore();
  const t = performance.now();
  const imp = createPcapImporter(store, 'bench.pcap');
  const chunk = 4 << 20;
  for (let off = 0; off < bytes.length; off += chunk) imp.push(bytes.subarray(off, Math.min(bytes.length, off + chunk)));
  imp.end();
  return { store, ms: performance.now() - t };
}

export function importBench(packets: number, withTshark: boolean): void {
  console.log(`\n# import: generated pcap of ${packets.toLocaleString('en')} packets`);
  const dir = mkdtempSync(join(tmpdir(), 'wireview-bench-'));
  try {
    const pcap = makePcap(packets, 3);
    const file = join(dir, 'bench.pcap');
    writeFileSync(file, pcap);
    const bytes = new Uint8Array(readFileSync(file));
    importOnce(bytes); // warm-up
    const runs = [importOnce(bytes), importOnce(bytes), importOnce(bytes)].sort((a, b) => a.ms - b.ms);
    const best = runs[0]!;
    const ours = packets / (best.ms / 1000);
    report('import pcap → store (best of 3)', best.ms, 'ms');
    report('import rate', ours, 'pkt/s');

    if (withTshark) {
      const t = performance.now();
      const r = spawnSync('tshark', ['-r', file, '-T', 'fields', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])], { maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
      const tsharkMs = performance.now() - t;
      if (r.status !== 0) {
        console.log(`tshark failed: ${r.stderr.toString().split('\n')[0]}`);
      } else {
        report('tshark -T fields, same file and fields', tsharkMs, 'ms');
        report('import speed vs tshark', tsharkMs / best.ms, '×', { op: '>=', value: 20 });
      }
    } else {
      console.log('     (tshark not installed: no ratio)');
    }

    const store = best.store;
    report('memory: column bytes per packet event', columnBytes(store) / store.rowCount, 'B', { op: '<=', value: 64 });
    let disk = 0;
    const t = performance.now();
    const writer = new TraceWriter(store, (c) => {
      disk += c.length;
    });
    for (const b of store.batches) writer.writeBatch(b);
    writer.end();
    const writeMs = performance.now() - t;
    report('native trace: bytes on disk per packet event', disk / store.rowCount, 'B', { op: '<=', value: 40 });
    report('native trace: write rate', store.rowCount / (writeMs / 1000), 'ev/s');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
