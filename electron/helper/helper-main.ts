/**
 * The privileged helper: the only code that runs with CAP_BPF/root. It reads validated commands on
 * stdin (commands.ts), runs the capture through the addon, and writes framed record batches, replies
 * and periodic stats on stdout (framing.ts). It exits when stdin closes or its parent goes away.
 * Started by the capture session (launcher.ts), directly, through pkexec, or sudo -n.
 */
import { writeSync, writevSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LiveCapture, probe, setPipeSize, type CaptureOptions } from '../native/capture-addon.js';
import type { CaptureFilter } from '../native/capture-config.js';
import type { CommandError} from './commands.js';
import { parseCommand, type HelperCommand } from './commands.js';
import { encodeJson, encodeMessage, MessageKind } from './framing.js';

const STATS_INTERVAL_MS = 500;
/**
 * Size asked for the stdout pipe: a drain's frame (hundreds of KiB at full rate) then passes in one
 * write and the reader takes it in a few reads, instead of 64 KiB (the default) at a time with a
 * switch between the processes each.
 */
const STDOUT_PIPE_BYTES = 1 << 20;
const PARENT_CHECK_MS = 250;

/**
 * Everything written to stdout goes through here, synchronously, so messages never interleave.
 * Header and payload leave in one writev (one syscall per frame, no copy to join them).
 */
function emit(parts: Uint8Array[]): void {
  let skip = 0; // bytes of `parts` already written
  try {
    skip = writevSync(1, parts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') process.exit(0); // the reader is gone
  }
  for (const part of parts) {
    let off = Math.min(skip, part.length);
    skip -= off;
    while (off < part.length) {
      try {
        off += writeSync(1, part, off, part.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        // The reader is gone: nothing left to serve.
        process.exit(0);
      }
    }
  }
}

class Helper {
  private capture: LiveCapture | undefined;
  private filter: CaptureFilter = {};
  private paused = false;
  private statsTimer: NodeJS.Timeout | undefined;

  async run(cmd: HelperCommand): Promise<unknown> {
    switch (cmd.cmd) {
      case 'probe':
        return probe({ load: true });
      case 'start':
        return this.start(cmd.filter, cmd.options);
      case 'reconfigure':
        this.filter = cmd.filter;
        if (this.capture && !this.paused) this.capture.reconfigure(cmd.filter);
        return {};
      case 'pause':
        // Paused = no event selected: probes stay attached, nothing is reserved in the ring.
        this.requireCapture().reconfigure({ classes: [], enable: [] });
        this.paused = true;
        return {};
      case 'resume':
        this.requireCapture().reconfigure(this.filter);
        this.paused = false;
        return {};
      case 'stop':
        return this.stop();
    }
  }

  private start(filter: CaptureFilter, options: CaptureOptions): unknown {
    if (this.capture) throw new Error('a capture is already running');
    this.filter = filter;
    // emit() writes the frame before it returns: its bytes can go back to the reader at once
    this.capture = LiveCapture.start({ ...options, lendFrames: true }, filter, (frame) => emit(encodeMessage(MessageKind.frame, frame)));
    this.statsTimer = setInterval(() => this.sendStats(), STATS_INTERVAL_MS);
    return this.capture.info;
  }

  private async stop(): Promise<unknown> {
    const capture = this.requireCapture();
    clearInterval(this.statsTimer);
    await capture.stop();
    const stats = capture.stats();
    this.capture = undefined;
    return stats;
  }

  sendStats(): void {
    if (this.capture) emit(encodeJson({ type: 'stats', paused: this.paused, ...this.capture.stats() }));
  }

  private requireCapture(): LiveCapture {
    if (!this.capture) throw new Error('no capture is running');
    return this.capture;
  }

  async shutdown(): Promise<void> {
    if (this.capture) await this.stop().catch(() => undefined);
  }
}

export async function main(): Promise<void> {
  setPipeSize(1, STDOUT_PIPE_BYTES); // fails harmlessly when stdout is no pipe
  const helper = new Helper();
  const parent = process.ppid;
  const exit = async (code: number): Promise<never> => {
    await helper.shutdown();
    process.exit(code);
  };
  // Parent gone (re-parented to init or a subreaper): detach and leave.
  setInterval(() => {
    if (process.ppid !== parent) void exit(0);
  }, PARENT_CHECK_MS).unref();
  process.on('SIGTERM', () => void exit(0));
  process.on('SIGINT', () => void exit(0));

  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    // Commands run one at a time, in order.
    queue = queue.then(async () => {
      let cmd: HelperCommand;
      try {
        cmd = parseCommand(line);
      } catch (e) {
        const err = e as CommandError;
        emit(encodeJson({ type: 'reply', id: err.id, ok: false, error: `refused: ${err.message}` }));
        return;
      }
      try {
        const result = await helper.run(cmd);
        emit(encodeJson({ type: 'reply', id: cmd.id, ok: true, result }));
      } catch (e) {
        emit(encodeJson({ type: 'reply', id: cmd.id, ok: false, error: (e as Error).message }));
      }
    });
  });
  lines.on('close', () => void queue.then(() => exit(0)));
}
