/**
 * Live capture, loopback TCP: a child process (comm "wvclient") connects to a server in this
 * process, sends "ping", reads "pong!" and the server's FIN, then closes. The capture must show the
 * connect and accept calls, the three handshake packets on both sides of lo with their TCP
 * options, every state change of both sockets, the sends and receives with their sizes, and the
 * right process on each (the socket owner even for packets handled in softirq).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { captureSkipReason, pick, recordWhile, type Row } from './live.js';

const CLIENT = `process.title = 'wvclient';
const s = require('net').connect(Number(process.argv[1]), '127.0.0.1', () => { console.log(process.pid + ' ' + s.localPort); s.write('ping'); });
s.on('data', () => {});
s.on('end', () => s.end());`;

interface Run {
  readonly rows: readonly Row[];
  readonly lost: number;
  readonly serverPort: number;
  readonly clientPort: number;
  readonly clientPid: number;
}

async function loopbackConnection(): Promise<Run> {
  const accepted = new Set<net.Socket>();
  const server = net.createServer((s) => {
    accepted.add(s);
    s.once('data', () => s.end('pong!'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serverPort = (server.address() as net.AddressInfo).port;
  let out = '';
  // every event of this connection has the server port on one side
  const filter = {
    priority: 'INFO' as const,
    ports: [{ type: 'src' as const, direction: 'both' as const, from: serverPort }, { type: 'dst' as const, direction: 'both' as const, from: serverPort }],
  };
  let err = '';
  try {
    const { rows, stats } = await recordWhile(filter, async () => {
      const child = spawn(process.execPath, ['-e', CLIENT, String(serverPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, `the client failed: ${err}`);
    });
    const [clientPid, clientPort] = out.trim().split(' ').map(Number) as [number, number];
    return { rows, lost: stats.lost, serverPort, clientPort, clientPid };
  } finally {
    for (const s of accepted) s.destroy();
    server.close();
  }
}

const skip = captureSkipReason();

test('loopback TCP connection: calls, handshake packets, state changes, sizes and processes', { skip }, async () => {
  const { rows, lost, serverPort: P, clientPort: C, clientPid } = await loopbackConnection();
  assert.equal(lost, 0);
  const client = { pid: clientPid, tid: clientPid, comm: 'wvclient', pid_owner: true };
  const server = { pid: process.pid, comm: 'node', pid_owner: true };
  const of = (event: string) => rows.filter((r) => r.event === event);

  const [connect, ...moreConnects] = of('sock.connect');
  assert.equal(moreConnects.length, 0);
  assert.deepEqual(pick(connect!, ['pid', 'tid', 'comm', 'pid_owner', 'saddr', 'sport', 'daddr', 'dport', 'errno']), {
    ...client, saddr: '127.0.0.1', sport: C, daddr: '127.0.0.1', dport: P, errno: undefined,
  });
  assert.ok((connect!.latency_ns as number) > 0);
  const clientCookie = connect!.socket_cookie;

  const [accept, ...moreAccepts] = of('sock.accept');
  assert.equal(moreAccepts.length, 0);
  assert.deepEqual(pick(accept!, ['pid', 'comm', 'pid_owner', 'sport', 'dport']), { ...server, sport: P, dport: C });
  const serverCookie = accept!.socket_cookie;
  assert.notEqual(serverCookie, clientCookie);

  // the handshake: each segment leaves one socket (output) and reaches the other (input)
  const packets = of('pkt.tcp');
  const handshake = packets.slice(0, 6).map((r) => pick(r, ['direction', 'tcp_flags', 'sport', 'dport']));
  assert.deepEqual(handshake, [
    { direction: 'output', tcp_flags: ['SYN'], sport: C, dport: P },
    { direction: 'input', tcp_flags: ['SYN'], sport: C, dport: P },
    { direction: 'output', tcp_flags: ['SYN', 'ACK'], sport: P, dport: C },
    { direction: 'input', tcp_flags: ['SYN', 'ACK'], sport: P, dport: C },
    { direction: 'output', tcp_flags: ['ACK'], sport: C, dport: P },
    { direction: 'input', tcp_flags: ['ACK'], sport: C, dport: P },
  ]);
  const [syn, , synAck, synAckIn, ack] = packets;
  assert.equal(synAck!.tcp_ack, (syn!.tcp_seq as number) + 1);
  assert.equal(ack!.tcp_ack, (synAck!.tcp_seq as number) + 1);
  const synOptions = syn!.tcp_options as Record<string, unknown>;
  assert.equal(synOptions.mss, 65495); // lo's MTU 65536 − 40
  assert.equal(synOptions.sack_permitted, true);
  assert.equal(typeof synOptions.wscale, 'number');
  assert.equal(typeof synOptions.ts_val, 'number');
  assert.equal(syn!.size, 0);
  // the client's side of the handshake carries the client, even the SYN-ACK received in softirq
  for (const p of [syn!, synAckIn!, ack!]) {
    assert.deepEqual(pick(p, ['pid', 'comm', 'pid_owner', 'socket_cookie']), { pid: clientPid, comm: 'wvclient', pid_owner: true, socket_cookie: clientCookie });
  }

  const states = (cookie: unknown) => rows.filter((r) => r.event === 'tcp.state' && r.socket_cookie === cookie).map((r) => `${r.state_old}>${r.state_new}`);
  assert.deepEqual(states(clientCookie), ['CLOSE>SYN_SENT', 'SYN_SENT>ESTABLISHED', 'ESTABLISHED>CLOSE_WAIT', 'CLOSE_WAIT>LAST_ACK', 'LAST_ACK>CLOSE']);
  const allStates = () => JSON.stringify(rows.filter((r) => r.event === 'tcp.state').map((r) => pick(r, ['state_old', 'state_new', 'socket_cookie', 'sport', 'dport'])));
  assert.deepEqual(states(serverCookie), ['LISTEN>SYN_RECV', 'SYN_RECV>ESTABLISHED', 'ESTABLISHED>FIN_WAIT1', 'FIN_WAIT1>FIN_WAIT2', 'FIN_WAIT2>CLOSE'], allStates());
  assert.equal(of('sock.disconnect').filter((r) => r.socket_cookie === clientCookie).length, 1);

  // payload: 4 bytes up, 5 bytes down, by the right processes (zero-byte reads are end-of-stream)
  const sizes = (event: string, cookie: unknown) => of(event).filter((r) => r.socket_cookie === cookie && r.size !== 0);
  assert.deepEqual(sizes('sock.send', clientCookie).map((r) => pick(r, ['size', 'direction', 'pid', 'comm'])), [{ size: 4, direction: 'send', pid: clientPid, comm: 'wvclient' }]);
  assert.deepEqual(sizes('sock.recv', serverCookie).map((r) => pick(r, ['size', 'direction', 'pid', 'comm'])), [{ size: 4, direction: 'receive', pid: process.pid, comm: 'node' }]);
  assert.deepEqual(sizes('sock.send', serverCookie).map((r) => pick(r, ['size', 'pid'])), [{ size: 5, pid: process.pid }]);
  assert.deepEqual(sizes('sock.recv', clientCookie).map((r) => pick(r, ['size', 'pid', 'sport', 'dport'])), [{ size: 5, pid: clientPid, sport: P, dport: C }]);
  // the data segments themselves
  assert.deepEqual(packets.filter((r) => r.size !== 0).map((r) => pick(r, ['direction', 'size', 'sport'])), [
    { direction: 'output', size: 4, sport: C },
    { direction: 'input', size: 4, sport: C },
    { direction: 'output', size: 5, sport: P },
    { direction: 'input', size: 5, sport: P },
  ]);
  // nothing of other connections got through the port filter
  for (const r of rows) if (r.sport !== undefined) assert.ok(r.sport === P || r.dport === P || r.sport === 0, `${String(r.event)} ${String(r.sport)}>${String(r.dport)}`);
});
