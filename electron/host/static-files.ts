/**
 * Serves the built renderer (dist-renderer/) read-only, with the security headers every response
 * of the host carries: a strict CSP (only this origin's scripts, workers, styles and socket; no
 * remote content, no inline script, no framing), nosniff, no referrer.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { rendererCsp } from '../security/csp.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The renderer's CSP, allowing the WebSocket back to this host's port. */
export function contentSecurityPolicy(port: number): string {
  return rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** The file under `root` that `urlPath` names, or undefined when it would leave `root`. */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const path = join(root, rel);
  return path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

/** Streams `path` with its type and `headers`; false when there is no such regular file. */
export async function sendFile(res: ServerResponse, path: string, headers: Record<string, string>, method: string): Promise<boolean> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Cache-Control': 'no-store',
  });
  if (method === 'HEAD') {
    res.end();
    return true;
  }
  // Big traces in 1 MiB reads: the 64 KiB default makes serving one several times slower.
  const stream = createReadStream(path, size > 1 << 20 ? { highWaterMark: 1 << 20 } : {});
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}
