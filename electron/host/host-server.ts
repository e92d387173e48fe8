/**
 * The browser host (`wireview serve`): the built renderer, the opened file's bytes and the IPC
 * contract over a WebSocket, on 127.0.0.1 only, all behind the token of HostAuth.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES, type ChannelHandlers } from '../ipc/contract.js';
import { createAppHandlers } from '../ipc/app-handlers.js';
import { HostAuth, newToken } from './auth.js';
import { CAPTURE_PATH, HostCapture } from './host-capture.js';
import { FILE_PATH, HostFiles } from './host-files.js';
import { EXPORT_PATH, serveExport } from './host-export.js';
import { serveIpc } from './ipc-socket.js';
import { resolveUnder, securityHeaders, sendFile } from './static-files.js';

export interface HostOptions {
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  /** A trace file the page opens at start. */
  readonly file?: { readonly path: string; readonly bytes: number } | undefined;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number | undefined;
  /** The token to require (a fresh random one when absent). */
  readonly token?: string | undefined;
  readonly version: string;
  /** The sample trace `file.openSample` opens (default: the one shipped in build/sample/). */
  readonly samplePath?: string | undefined;
}

export interface RunningHost {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const IPC_PATH = '/ipc';

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken();
  const rendererDir = resolve(options.rendererDir);
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const auth = new HostAuth(token, port);
  const headers = securityHeaders(port);
  const files = new HostFiles(options.file, options.samplePath);
  const capture = new HostCapture();
  const handlers: ChannelHandlers = createAppHandlers({ version: options.version, host: 'browser', currentFile: () => files.opened(), capture, files });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleHttp(req, res).catch(() => res.destroy());
  });
  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!auth.allowed(req)) return refuse(res, 403, 'forbidden: this WireView host needs the token from the URL it printed');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    const extra: Record<string, string> = path === '/' || path === '/index.html' ? { 'Set-Cookie': auth.setCookieHeader() } : {};
    if (path === FILE_PATH) {
      const opened = files.path;
      if (opened && (await sendFile(res, opened, headers, req.method))) return;
      return refuse(res, 404, 'no file was opened');
    }
    if (path === EXPORT_PATH) {
      const answer = await serveExport(new URL(req.url ?? '/', 'http://host').searchParams, { file: files.path, capture });
      if ('status' in answer) return refuse(res, answer.status, answer.message);
      res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${answer.name}"`, 'Cache-Control': 'no-store' });
      if (req.method === 'HEAD') return void res.end();
      try {
        await answer.write((chunk) => res.write(chunk));
      } catch {
        return void res.destroy(); // the download fails visibly rather than ending short
      }
      res.end();
      return;
    }
    if (path === CAPTURE_PATH) {
      const from = Number(new URL(req.url ?? '/', 'http://host').searchParams.get('from') ?? '0');
      const bytes = Number.isSafeInteger(from) && from >= 0 ? capture.read(from) : null;
      if (!bytes) return refuse(res, 404, 'no capture');
      res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : bytes);
      return;
    }
    const target = resolveUnder(rendererDir, path);
    if (target && (await sendFile(res, target, { ...headers, ...extra }, req.method))) return;
    refuse(res, 404, 'not found');
  }
  function refuse(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${message}\n`);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (path !== IPC_PATH || !auth.socketAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveIpc(ws, handlers));
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      await capture.close();
      await new Promise<void>((done) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => done());
      });
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
}
