/**
 * The capture filter rules filters.test.ts leaves out, each with what it must keep and what it
 * must exclude: port filters with type and direction (one side of a UDP exchange), address filters
 * on input only versus output only, the aux class alone, and one event disabled inside a class.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureSkipReason, EVENTS_WITHOUT_PORTS, freePort, pick, recordWhile, RESET_SENT_WITHOUT_SOCKET, runPython, withoutPortlessDrops, type Row } from './live.js';
import type { CaptureFilter } from '../../electron/native/capture-config.js';

const skip = captureSkipReason();
const bothWays = (port: number) => [
  { type: 'src' as const, direction: 'both' as const, from: port },
  { type: 'dst' as const, direction: 'both' as const, from: port },
];

/**
 * A UDP request from `client`:C to `server`:P and its reply; prints the client's port. The client
 * is connected: calls on an unconnected socket (sendto) carry no peer address for a filter to test.
 */
const exchange = (server: string, port: number, client = '127.0.0.1') => `import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(('${server}', ${port}))
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cli.bind(('${client}', 0))
cli.connect(('${server}', ${port}))
cli.send(b'ping')
data, peer = srv.recvfrom(10)
srv.sendto(b'pong!', peer)
cli.recv(10)
print(cli.getsockname()[1])`;

async function exchangeWith(filter: CaptureFilter, server: string, port: number, client?: string): Promise<{ rows: readonly Row[]; C: number }> {
  let C = 0;
  const { rows } = await recordWhile(filter, async () => void (C = Number((await runPython(exchange(server, port, client))).out)));
  return { rows, C };
}
const summary = (rows: readonly Row[]) => rows.map((r) => `${String(r.event)} ${String(r.direction)} ${String(r.saddr)}:${String(r.sport)}>${String(r.daddr)}:${String(r.dport)}`);

test('port filters with type and direction: destination P on output, source P on input keep the client side only', { skip }, async () => {
  const P = await freePort();
  const filter = { classes: [], enable: ['pkt.udp', 'sock.send', 'sock.recv'], ports: [{ type: 'dst' as const, direction: 'out' as const, from: P }, { type: 'src' as const, direction: 'in' as const, from: P }] };
  const { rows, C } = await exchangeWith(filter, '127.0.0.1', P);
  const ours = rows.filter((r) => r.sport === C || r.dport === C);
  // the request leaving (dst P, output) and the reply arriving (src P, input); not the request
  // arriving at the server (src C) nor the reply leaving it (dst C)
  assert.deepEqual(summary(ours).sort(), [
    `pkt.udp input 127.0.0.1:${P}>127.0.0.1:${C}`,
    `pkt.udp output 127.0.0.1:${C}>127.0.0.1:${P}`,
    `sock.recv receive 127.0.0.1:${P}>127.0.0.1:${C}`,
    `sock.send send 127.0.0.1:${C}>127.0.0.1:${P}`,
  ]);
  assert.ok(ours.every((r) => r.comm === 'python3'));
});

test('an address filter on input leaves output alone, and one on output leaves input alone', { skip }, async () => {
  const [P1, P2] = [await freePort(), await freePort()];
  const packets = (rows: readonly Row[]) => summary(rows.filter((r) => r.event === 'pkt.udp')).sort();
  // request 127.0.0.3 → 127.0.0.4, reply back
  const inOnly = await exchangeWith({ classes: [], enable: ['pkt.udp'], ports: bothWays(P1), addrs: [{ type: 'src', direction: 'in', cidr: '127.0.0.4/32' }] }, '127.0.0.4', P1, '127.0.0.3');
  assert.deepEqual(packets(inOnly.rows), [
    `pkt.udp input 127.0.0.4:${P1}>127.0.0.3:${inOnly.C}`, // the reply: from .4
    `pkt.udp output 127.0.0.3:${inOnly.C}>127.0.0.4:${P1}`, // output: not narrowed
    `pkt.udp output 127.0.0.4:${P1}>127.0.0.3:${inOnly.C}`,
  ]);
  const outOnly = await exchangeWith({ classes: [], enable: ['pkt.udp'], ports: bothWays(P2), addrs: [{ type: 'src', direction: 'out', cidr: '127.0.0.3' }] }, '127.0.0.4', P2, '127.0.0.3');
  assert.deepEqual(packets(outOnly.rows), [
    `pkt.udp input 127.0.0.3:${outOnly.C}>127.0.0.4:${P2}`, // input: not narrowed
    `pkt.udp input 127.0.0.4:${P2}>127.0.0.3:${outOnly.C}`,
    `pkt.udp output 127.0.0.3:${outOnly.C}>127.0.0.4:${P2}`, // the request: from .3
  ]);
});

const refusedConnect = (port: number) => `import socket\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', ${port}))\nexcept ConnectionRefusedError:\n    print('refused')`;

test('the aux class alone: the refused connect without any of its packets, drops or resets', { skip }, async () => {
  const port = await freePort();
  const { rows } = await recordWhile({ classes: ['aux'], priority: 'VERBOSE', ports: bothWays(port), disable: [...EVENTS_WITHOUT_PORTS] }, async () => {
    assert.equal((await runPython(refusedConnect(port))).out, 'refused');
  });
  assert.deepEqual(rows.map((r) => String(r.event)).sort(), ['sock.connect_error', 'tcp.state', 'tcp.state']);
  assert.ok(rows.every((r) => r.class === 'aux'));
  assert.deepEqual(pick(rows.find((r) => r.event === 'sock.connect_error')!, ['errno', 'dport']), { errno: 'ECONNREFUSED', dport: port });
});

test('one event disabled inside a selected class: core without pkt.tcp keeps the resets and the drop', { skip }, async () => {
  const port = await freePort();
  const filter = { classes: ['core' as const], priority: 'VERBOSE' as const, ports: bothWays(port), disable: ['pkt.tcp', ...EVENTS_WITHOUT_PORTS] };
  const { rows } = await recordWhile(filter, async () => void (await runPython(refusedConnect(port))));
  assert.deepEqual(withoutPortlessDrops(rows, port).map((r) => String(r.event)).sort(), ['drop.no_socket', 'tcp.reset_received', ...RESET_SENT_WITHOUT_SOCKET]);
});

/** Two consecutive UDP ports nothing is bound to on 127.0.0.1 (checked by binding them). */
async function freePortPair(): Promise<number> {
  const { createSocket } = await import('node:dgram');
  const bindable = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const p = await freePort();
    if (p < 65535 && (await bindable(p)) && (await bindable(p + 1))) return p;
  }
}

test('a port range keeps the ports inside it and excludes the next one', { skip }, async () => {
  const P = await freePortPair();
  let Q = await freePort();
  while (Q === P || Q === P + 1) Q = await freePort();
  // one datagram to each of P, P+1 (inside the range) and Q (outside), all closed ports
  const sends = `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor port in (${P}, ${P + 1}, ${Q}):\n    s.sendto(b'x', ('127.0.0.1', port))`;
  const filter = { classes: [], enable: ['pkt.udp'], ports: [{ type: 'dst' as const, direction: 'out' as const, from: P, to: P + 1 }] };
  const { rows } = await recordWhile(filter, async () => void (await runPython(sends)));
  const mine = rows.filter((r) => r.event === 'pkt.udp' && r.comm === 'python3' && [P, P + 1, Q].includes(r.dport as number));
  assert.deepEqual(mine.map((r) => `${String(r.direction)} ${String(r.dport)}`).sort(), [`output ${P}`, `output ${P + 1}`].sort());
});
