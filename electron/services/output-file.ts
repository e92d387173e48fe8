import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileError, describeFsError } from './input-file.js';

/**
 * An output written to a temporary file beside its target and renamed into place only when
 * complete, so a failure or interruption never leaves a half-written file under the real name.
 * With path '-' it writes to stdout directly.
 */
export class AtomicOutput {
  private readonly fd: number;
  private readonly temp: string | undefined;
  private closed = false;

  constructor(readonly path: string) {
    if (path === '-') {
      this.fd = 1;
      return;
    }
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
    try {
      this.fd = openSync(this.temp, 'w');
    } catch (e) {
      throw new FileError(path, `cannot write: ${describeFsError(e)}`);
    }
    AtomicOutput.open.add(this);
  }

  /** Writes all of `chunk` (synchronously: exporters produce chunks in order). */
  write(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      try {
        off += writeSync(this.fd, chunk, off, chunk.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // non-blocking stdout pipe
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') throw new FileError(this.path === '-' ? 'stdout' : this.path, 'output closed');
        throw new FileError(this.path, `write failed: ${describeFsError(e)}`);
      }
    }
  }

  /** Completes the output: closes and renames the temporary file into place. */
  commit(): void {
    if (this.temp === undefined) return;
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.temp, this.path);
    AtomicOutput.open.delete(this);
  }

  /** Drops the output: removes the temporary file; the target is left as it was. */
  abort(): void {
    if (this.temp === undefined || this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
    AtomicOutput.open.delete(this);
  }

  /** Outputs not yet committed (removed on SIGINT/SIGTERM by the CLI). */
  static readonly open = new Set<AtomicOutput>();
}
