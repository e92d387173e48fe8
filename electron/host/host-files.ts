/**
 * The files the browser host serves at `/file`: the one it was started with, the sample trace
 * shipped with the app, and again any of those (its recent list). The page never names a path
 * the host did not open itself: `file.openRecent` accepts only a path on that list.
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { FileControl } from '../ipc/app-handlers.js';
import type { OpenedFile, ReplyOf } from '../ipc/contract.js';
import { SAMPLE_TRACE } from './sample.js';

export const FILE_PATH = '/file';
const MAX_RECENT = 10;

export class HostFiles implements FileControl {
  private current: { path: string; bytes: number; serial: number } | null = null;
  private recentPaths: string[] = [];

  constructor(
    start: { readonly path: string; readonly bytes: number } | undefined,
    private readonly samplePath = SAMPLE_TRACE,
  ) {
    if (start) this.use(resolve(start.path), start.bytes);
  }

  /** The path `/file` serves now, or null. */
  get path(): string | null {
    return this.current?.path ?? null;
  }

  opened(): OpenedFile | null {
    const c = this.current;
    return c ? { name: basename(c.path), bytes: c.bytes, url: c.serial === 0 ? FILE_PATH : `${FILE_PATH}?n=${c.serial}` } : null;
  }

  async openSample(): Promise<OpenedFile> {
    return this.open(this.samplePath, false);
  }

  recent(): ReplyOf<'file.recent'> {
    return { files: this.recentPaths.map((path) => ({ name: basename(path), path })) };
  }

  async openRecent(path: string): Promise<OpenedFile> {
    if (!this.recentPaths.includes(path)) throw new Error('not a recent file of this host');
    return this.open(path, true);
  }

  private async open(path: string, remember: boolean): Promise<OpenedFile> {
    let bytes: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new Error('not a regular file');
      bytes = st.size;
    } catch (e) {
      this.recentPaths = this.recentPaths.filter((p) => p !== path);
      throw new Error(`${basename(path)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    this.use(path, bytes, remember);
    return this.opened()!;
  }

  private use(path: string, bytes: number, remember = true): void {
    this.current = { path, bytes, serial: this.current ? this.current.serial + 1 : 0 };
    if (remember) this.recentPaths = [path, ...this.recentPaths.filter((p) => p !== path)].slice(0, MAX_RECENT);
  }
}
