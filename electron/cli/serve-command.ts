import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startHost } from '../host/host-server.js';
import { FileError } from '../services/input-file.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from './usage.js';

/** Where `npm run build` puts the renderer (compiled CLI: dist/electron/cli → repository root). */
const RENDERER_DIR = fileURLToPath(new URL('../../../dist-renderer/', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * `wireview serve [FILE] [--port N]`: the app in any Chromium, served on 127.0.0.1 behind a
 * random token. Prints the URL (token included) on stdout and runs until SIGINT/SIGTERM.
 */
export async function serveCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, { port: { type: 'string' } });
  if (positionals.length > 1) throw new UsageError('expects at most one input file: serve [FILE] [--port N]');
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port: expected 1…65535, got '${String(values.port)}'`);
  }
  if (!existsSync(`${RENDERER_DIR}index.html`)) throw new FileError(RENDERER_DIR, 'the renderer is not built; run `npm run build` first');
  const path = positionals[0];
  let file: { path: string; bytes: number } | undefined;
  if (path !== undefined) {
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new FileError(path, 'not a regular file');
      file = { path, bytes: st.size };
    } catch (e) {
      if (e instanceof FileError) throw e;
      throw new FileError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
    }
  }
  let host;
  try {
    host = await startHost({ rendererDir: RENDERER_DIR, file, port, version: appVersion() });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`--port ${port}: ${code === 'EADDRINUSE' ? 'already in use' : 'not allowed'}`);
    throw e;
  }
  process.stdout.write(`WireView is served at ${host.url}\n(open it in Chromium; Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void host.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
