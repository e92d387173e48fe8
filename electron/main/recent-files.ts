/**
 * The recent files list, newest first, persisted as JSON in the app's userData folder. A missing
 * or damaged list starts empty (it is a convenience, never a reason to fail); entries are checked
 * against a schema on load so a hand-edited file cannot smuggle in anything but paths.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { array, object, string } from '../ipc/schema.js';

export const MAX_RECENT = 10;
const MAX_PATH = 4096;

const stored = object({ files: array(string(MAX_PATH), 100) });

export class RecentFiles {
  private files: string[];

  constructor(private readonly storePath: string) {
    this.files = RecentFiles.load(storePath);
  }

  list(): readonly string[] {
    return this.files;
  }

  /** True when `path` is on the list: main opens a recent entry only if it is one. */
  has(path: string): boolean {
    return this.files.includes(path);
  }

  /** Moves (or adds) `path` to the top and saves; the list keeps MAX_RECENT entries. */
  add(path: string): void {
    if (path.length > MAX_PATH) return;
    this.files = [path, ...this.files.filter((p) => p !== path)].slice(0, MAX_RECENT);
    this.save();
  }

  remove(path: string): void {
    const before = this.files.length;
    this.files = this.files.filter((p) => p !== path);
    if (this.files.length !== before) this.save();
  }

  clear(): void {
    this.files = [];
    this.save();
  }

  private save(): void {
    // Written beside and renamed into place: a crash mid-write leaves the old list, not half a new one.
    const temp = `${this.storePath}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.storePath), { recursive: true });
      writeFileSync(temp, `${JSON.stringify({ files: this.files }, null, 2)}\n`);
      renameSync(temp, this.storePath);
    } catch {
      // A read-only profile only loses the list between runs.
    }
  }

  private static load(path: string): string[] {
    try {
      const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (stored.check(value, 'recent') !== undefined) return [];
      return [...new Set((value as { files: string[] }).files)].slice(0, MAX_RECENT);
    } catch {
      return [];
    }
  }
}
