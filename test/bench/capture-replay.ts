/**
 * The CLI's side of a capture measured on its own, in CPU time (which other work on the machine
 * hardly changes, unlike throughput): record the helper's frames during a UDP flood once, then
 * replay them as the helper's stdout would bring them (64 KiB chunks, a fresh buffer each, as a
 * pipe read gives) through MessageReader → RecordDecoder → CaptureStore → the trace file.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { encodeMessage, MessageKind, MessageReader } from '../../electron/helper/framing.js';
import { LiveCapture } from '../../electron/native/capture-addon.js';
import { CaptureDns } from '../../electron/services/capture-dns.js';
import { CaptureSpill, CaptureStore } from '../../electron/services/capture-store.js';
import { RecordDecoder } from '../../renderer/engine/records/decode.js';

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

/** Process CPU (all threads) in µs per event to decode and write `recorded`, `repeat` times over. */
export function replayCpu(recorded: RecordedFrames, output: string, options: { transient: boolean; repeat: number }): { rows: number; usPerRow: number } {
  const stream = Buffer.concat(recorded.frames.flatMap((f) => encodeMessage(MessageKind.frame, f)));
  const spill = new CaptureSpill(output);
  const store = new CaptureStore(undefined, false, (b) => spill.writeBatch(b));
  const dns = new CaptureDns(store);
  spill.begin(store);
  const decoder = new RecordDecoder(store, { sourceNames: recorded.sources, dropReasonNames: recorded.dropReasons, onDnsPayload: dns.onPayload });
  const reader = new MessageReader({ transient: options.transient });
  let rows = 0;
  const before = process.cpuUsage();
  for (let r = 0; r < options.repeat; r++) {
    for (let off = 0; off < stream.length; off += 65536) {
      const chunk = Buffer.from(stream.subarray(off, Math.min(stream.length, off + 65536)));
      for (const m of reader.push(chunk)) if (m.kind === 1) rows += decoder.decodeAll(m.frame).rows;
    }
  }
  decoder.flush();
  spill.end();
  const used = process.cpuUsage(before);
  rmSync(output, { force: true });
  return { rows, usPerRow: (used.user + used.system) / rows };
}
