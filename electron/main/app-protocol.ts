/**
 * What an app:// request is answered with: a file of the built renderer, the bytes of the trace
 * main opened (`/file`), or a refusal. Only GET of our own host; paths cannot leave the renderer
 * folder. Every answer carries the strict CSP. No Electron import: main.ts wires it to
 * `protocol.handle`, tests call it directly.
 */
import { resolveUnder } from '../host/static-files.js';
import { APP_CSP, APP_HOST, APP_SCHEME } from './app-origin.js';

/** Where the page fetches the bytes of the file main opened. */
export const APP_FILE_PATH = '/file';

export type AppAnswer = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'refuse'; readonly status: number; readonly message: string };

export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function resolveAppRequest(method: string, url: string, rendererDir: string, openedFile: string | null): AppAnswer {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'refuse', status: 405, message: 'method not allowed' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'refuse', status: 400, message: 'bad URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { kind: 'refuse', status: 403, message: 'not this app' };
  if (parsed.pathname === APP_FILE_PATH) {
    return openedFile ? { kind: 'file', path: openedFile } : { kind: 'refuse', status: 404, message: 'no file was opened' };
  }
  const path = resolveUnder(rendererDir, parsed.pathname);
  return path ? { kind: 'file', path } : { kind: 'refuse', status: 404, message: 'not found' };
}
