/**
 * Loopback traffic made by child processes with a comm of our choosing, for the capture session
 * and CLI tests: one TCP connection (listen, connect, accept, send, recv, close) per run, or one
 * connection kept busy for a while.
 */
import { spawn } from 'node:child_process';
import { openTrace } from '../../electron/services/input-file.js';
import { RowReader } from '../../renderer/engine/values/field-values.js';
import type { EventStore } from '../../renderer/engine/store/event-store.js';
import type { Row } from './live.js';

/** Node code: sets its comm, serves `port` on 127.0.0.1, connects to it, exchanges a line, closes. */
function tcpPeer(comm: string, port: number): string {
  return `
process.title = ${JSON.stringify(comm)};
const net = require('node:net');
const server = net.createServer((c) => { c.on('data', () => c.end('pong')); });
server.listen(${port}, '127.0.0.1', () => {
  const client = net.connect(${port}, '127.0.0.1', () => client.write('ping'));
  client.on('data', () => {});
  client.on('close', () => server.close(() => process.exit(0)));
});`;
}

/** Runs one TCP exchange on 127.0.0.1:port in a child named `comm`; resolves with its pid once it exited. */
export async function tcpExchange(comm: string, port: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', tcpPeer(comm, port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (status !== 0) throw new Error(`traffic child exited with ${status}`);
  return child.pid!;
}

/** Node code: sets its comm, serves `port` on 127.0.0.1 and ping-pongs one byte over one connection for `ms`, then closes. */
function tcpChatterPeer(comm: string, port: number, ms: number): string {
  return `
process.title = ${JSON.stringify(comm)};
const net = require('node:net');
const end = Date.now() + ${ms};
const server = net.createServer((c) => { c.on('data', (d) => c.write(d)); c.on('end', () => c.end()); });
server.listen(${port}, '127.0.0.1', () => {
  const client = net.connect(${port}, '127.0.0.1', () => client.write('x'));
  client.on('data', () => (Date.now() < end ? client.write('x') : client.end()));
  client.on('close', () => server.close(() => process.exit(0)));
});`;
}

/** Keeps one TCP connection on 127.0.0.1:port busy for `ms` in a child named `comm`; `done` resolves once it exited. */
export function tcpChatter(comm: string, port: number, ms: number): { pid: number; done: Promise<void> } {
  const child = spawn(process.execPath, ['-e', tcpChatterPeer(comm, port, ms)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const done = new Promise<void>((resolve, reject) =>
    child.on('exit', (status) => (status === 0 ? resolve() : reject(new Error(`traffic child exited with ${status}`)))),
  );
  return { pid: child.pid!, done };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every row of a store as the JSON Lines object. */
export function rowsOf(store: EventStore): Row[] {
  const reader = new RowReader(store);
  const rows: Row[] = [];
  store.batches.forEach((batch, b) => {
    for (let r = 0; r < batch.length; r++) rows.push(reader.object(b, r));
  });
  return rows;
}

/** The rows of a trace file, and its store. */
export async function readTrace(path: string): Promise<{ store: EventStore; rows: Row[] }> {
  const { store } = await openTrace(path);
  return { store, rows: rowsOf(store) };
}

/** Rows of one TCP port (either end). */
export const onPort = (rows: readonly Row[], port: number): Row[] => rows.filter((r) => r.sport === port || r.dport === port);
