/**
 * The CLI's side of a capture measured on its own, in CPU time (which other work on the machine
 * hardly changes, unlike throughput): record the helper's frames during a UDP flood once, then
 * replay them as the helper's stdout would bring them (reads of up to 1 MiB into one reused buffer,
 * as the CLI reads them) through MessageReader → RecordDecoder → CaptureStore → the trace file.
 *
 * Run on its own (as root) to keep a recording and replay it, e.g. with another build or under
 * `node --cpu-prof`:
 *   node dist/test/bench/capture-replay.js record flood|iperf FILE
 *   node dist/test/bench/capture-replay.js replay FILE [REPEAT] [SEAL_ROWS] [OUT]
 * (SEAL_ROWS: seal a batch every that many rows, as a live capture's 250 ms timer does; OUT: keep
 * the trace file written there, e.g. to compare two builds' files byte for byte.)
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { encodeMessage, MessageKind, MessageReader } from '../../electron/helper/framing.js';
import { LiveCapture } from '../../electron/native/capture-addon.js';
import { CaptureDns } from '../../electron/services/capture-dns.js';
import { CaptureSpill, CaptureStore } from '../../electron/services/capture-store.js';
import { RecordDecoder } from '../../renderer/engine/records/decode.js';
import { FLOOD, SECONDS } from './capture-process.js';

export interface RecordedFrames {
  readonly frames: Uint8Array[];
  readonly sources: readonly string[];
  readonly dropReasons: readonly string[];
  readonly lost: number;
}

/** Frames of core events at INFO while `generator` (a node -e script) runs. */
export async function recordFrames(generator: string): Promise<RecordedFrames> {
  const frames: Uint8Array[] = [];
  const capture = LiveCapture.start({}, { classes: ['core'], priority: 'INFO' }, (frame) => frames.push(frame));
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', generator], { stdio: 'ignore' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`))));
    });
  } finally {
    await capture.stop();
  }
  return { frames, sources: capture.info.sources, dropReasons: capture.info.dropReasons, lost: capture.stats().lost };
}

/**
 * Process CPU (all threads) in µs per event to decode and write `recorded`, `repeat` times over.
 * `sealRows`: seal a batch once this many rows wait (a live capture seals every 250 ms, which at
 * iperf3's ~170k events/s is ~45k rows: batches smaller than the decoder's 64 Ki rows).
 */
export function replayCpu(
  recorded: RecordedFrames,
  output: string,
  options: { transient: boolean; repeat: number; sealRows?: number; keep?: boolean },
): { rows: number; usPerRow: number } {
  const stream = Buffer.concat(recorded.frames.flatMap((f) => encodeMessage(MessageKind.frame, f)));
  const spill = new CaptureSpill(output);
  const store = new CaptureStore(undefined, false, (b) => spill.writeBatch(b));
  const dns = new CaptureDns(store);
  spill.begin(store);
  const decoder = new RecordDecoder(store, { sourceNames: recorded.sources, dropReasonNames: recorded.dropReasons, onDnsPayload: dns.onPayload });
  const reader = new MessageReader({ transient: options.transient });
  let rows = 0;
  let unsealed = 0;
  const before = process.cpuUsage();
  // transient: the CLI's way (helper-launcher.ts), reads of up to 1 MiB into one reused buffer;
  // otherwise the old way, the baseline: a new 64 KiB buffer per read.
  const readBytes = options.transient ? 1 << 20 : 65536;
  const readBuffer = Buffer.allocUnsafe(readBytes);
  for (let r = 0; r < options.repeat; r++) {
    for (let off = 0; off < stream.length; off += readBytes) {
      const end = Math.min(stream.length, off + readBytes);
      const chunk = options.transient ? readBuffer.subarray(0, end - off) : Buffer.allocUnsafe(end - off);
      chunk.set(stream.subarray(off, end));
      for (const m of reader.push(chunk)) {
        if (m.kind !== 1) continue;
        const n = decoder.decodeAll(m.frame).rows;
        rows += n;
        unsealed += n;
        if (options.sealRows !== undefined && unsealed >= options.sealRows) {
          decoder.flush();
          unsealed = 0;
        }
      }
    }
  }
  decoder.flush();
  spill.end();
  const used = process.cpuUsage(before);
  if (!options.keep) rmSync(output, { force: true });
  return { rows, usPerRow: (used.user + used.system) / rows };
}

/** iperf3 TCP on loopback for SECONDS against a server of its own, as a generator script. */
export const IPERF = `
    const { spawn, spawnSync } = require('node:child_process');
    const port = 20000 + (process.pid % 20000);
    const server = spawn('iperf3', ['-s', '-1', '-p', String(port)], { stdio: 'ignore' });
    setTimeout(() => {
      const r = spawnSync('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', '${SECONDS}'], { stdio: 'ignore' });
      server.kill();
      process.exit(r.status ?? 1);
    }, 300);`;

/** A recording as one file: a JSON line (sources, drop reasons, lost), then the frames as the helper's stdout carries them. */
function saveRecording(recorded: RecordedFrames, file: string): void {
  const head = Buffer.from(`${JSON.stringify({ sources: recorded.sources, dropReasons: recorded.dropReasons, lost: recorded.lost })}\n`);
  writeFileSync(file, Buffer.concat([head, ...recorded.frames.flatMap((f) => encodeMessage(MessageKind.frame, f))]));
}

function loadRecording(file: string): RecordedFrames {
  const bytes = readFileSync(file);
  const nl = bytes.indexOf(10);
  const head = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as Omit<RecordedFrames, 'frames'>;
  const frames: Uint8Array[] = [];
  for (const m of new MessageReader().push(bytes.subarray(nl + 1))) if (m.kind === MessageKind.frame) frames.push(m.frame.slice());
  return { ...head, frames };
}

async function main(argv: readonly string[]): Promise<void> {
  const [cmd, a, b, c, d] = argv;
  if (cmd === 'record' && (a === 'flood' || a === 'iperf') && b) {
    const recorded = await recordFrames(a === 'flood' ? FLOOD : IPERF);
    saveRecording(recorded, b);
    console.log(`${recorded.frames.length} frames, ${recorded.lost} lost`);
  } else if (cmd === 'replay' && a) {
    const sealRows = c === undefined ? undefined : Number(c);
    if (sealRows !== undefined && !(Number.isInteger(sealRows) && sealRows > 0)) {
      console.error(`capture-replay.js: SEAL_ROWS must be a positive whole number of rows, not ${c}`);
      process.exitCode = 2;
      return;
    }
    const r = replayCpu(loadRecording(a), d ?? `${a}.replay.arrows`, { transient: true, repeat: Number(b ?? 3), keep: d !== undefined, ...(sealRows ? { sealRows } : {}) });
    console.log(`${r.rows} events, ${r.usPerRow.toFixed(3)} µs per event`);
  } else {
    console.error('usage: capture-replay.js record flood|iperf FILE | replay FILE [REPEAT] [SEAL_ROWS] [OUT]');
    process.exitCode = 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
