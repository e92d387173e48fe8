/**
 * Live flows on loopback (as root): a successful connection, a refused one and one reset in the
 * middle of its data. Each capture is narrowed to the test's own port; the flow built from it must
 * carry exactly the diagnosis the scenario produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildFlows } from '../../renderer/engine/flows/build.js';
import { flowLadder } from '../../renderer/engine/flows/ladder.js';
import type { FlowSummary } from '../../renderer/engine/flows/types.js';
import { EVENTS_WITHOUT_PORTS, captureSkipReason, freePort, recordWhile, runPython } from './live.js';

const skip = captureSkipReason();
const bothWays = (port: number) => [
  { type: 'src' as const, direction: 'both' as const, from: port },
  { type: 'dst' as const, direction: 'both' as const, from: port },
];
const filterFor = (port: number) => ({ priority: 'INFO' as const, ports: bothWays(port), disable: [...EVENTS_WITHOUT_PORTS] });

/** A server in this process answering each connection with `onConnection`; returns its port and a closer. */
async function serve(onConnection: (s: net.Socket) => void): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

function only(flows: readonly FlowSummary[]): FlowSummary {
  assert.equal(flows.length, 1, `one flow (${flows.map((f) => `${f.client.port}>${f.server.port}`).join(', ')})`);
  return flows[0]!;
}

test('live flow: a successful connection — established with RTT and options, FIN/FIN, payload each way, the client process', { skip }, async () => {
  const server = await serve((s) => s.once('data', () => s.end('pong!')));
  let clientPort = 0;
  let clientPid = 0;
  try {
    const { store } = await recordWhile(filterFor(server.port), async () => {
      const r = await runPython(`import socket\ns = socket.create_connection(('127.0.0.1', ${server.port}))\nprint(s.getsockname()[1], flush=True)\ns.sendall(b'ping')\nwhile s.recv(100): pass\ns.close()`);
      clientPort = Number(r.out);
      clientPid = r.pid;
    });
    const table = buildFlows(store);
    const flow = only(table.flows);
    assert.deepEqual([flow.client, flow.server], [{ addr: '127.0.0.1', port: clientPort }, { addr: '127.0.0.1', port: server.port }]);
    assert.deepEqual([flow.direction, flow.pid, flow.comm], ['outgoing', clientPid, 'python3']);
    const h = flow.handshake;
    assert.equal(h.status, 'established');
    assert.deepEqual([h.synRetransmits, h.synackRetransmits, h.simultaneousOpen, h.halfOpen, h.reset], [0, 0, false, false, null]);
    assert.ok(h.rttNs !== null && h.rttNs > 0 && h.synToSynackNs! > 0 && h.synackToAckNs! > 0 && h.rttNs === h.synToSynackNs! + h.synackToAckNs!);
    assert.deepEqual([h.mss, h.sack, h.timestamps, h.ecn], [65495, true, true, false]);
    assert.ok(h.wscale && h.wscale.client >= 0 && h.wscale.server >= 0);
    // payload: 4 bytes up, 5 down; every segment once although both sockets saw it
    assert.deepEqual([flow.payloadToServer, flow.payloadToClient], [4, 5]);
    assert.deepEqual([flow.retransmissions, flow.kernelRetransmits], [0, 0]);
    assert.deepEqual(flow.teardown, { end: 'fin', finBy: ['server', 'client'], reset: null, timeWait: 'server' });
    assert.ok(flow.begin && flow.endAt && flow.begin.ts < flow.endAt.ts);
    assert.equal(flow.cookies.length, 3, 'the client socket, the listener (the SYN reaches it) and the accepted socket');
    // the ladder: SYN, SYN-ACK, ACK first, each departure paired with its arrival
    const packets = flowLadder(table, flow.id).items.filter((i) => i.kind === 'packet');
    assert.deepEqual(packets.slice(0, 3).map((p) => [p.from, p.flags.join('|'), p.relSeq, p.relAck, p.peerRow >= 0]), [
      ['client', 'SYN', 0, 0, true],
      ['server', 'SYN|ACK', 0, 1, true],
      ['client', 'ACK', 1, 1, true],
    ]);
    assert.equal(packets.length, flow.packets);
  } finally {
    server.close();
  }
});

test('live flow: a refused connection — RST from the server, the SYN dropped for NO_SOCKET, ECONNREFUSED', { skip }, async () => {
  const port = await freePort();
  const { store } = await recordWhile(filterFor(port), async () => {
    const r = await runPython(`import socket, errno\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', ${port}))\nexcept OSError as e:\n    print(errno.errorcode[e.errno])`);
    assert.equal(r.out, 'ECONNREFUSED');
  });
  const flow = only(buildFlows(store).flows);
  const h = flow.handshake;
  assert.deepEqual([flow.server.port, h.status, h.connectErrno, h.synRetransmits, h.rttNs], [port, 'refused', 'ECONNREFUSED', 0, null]);
  assert.deepEqual(h.reset && [h.reset.by, h.reset.phase, h.reset.dropReason], ['server', 'handshake', 'NO_SOCKET']);
  assert.deepEqual([flow.teardown.end, flow.teardown.reset?.by, flow.direction], ['rst', 'server', 'outgoing']);
  assert.deepEqual([flow.packetsToServer, flow.packetsToClient], [1, 1], 'the SYN and the RST-ACK');
});

test('live flow: reset in the middle of the data — established, then RST by the server (SO_LINGER 0) from a closed socket', { skip }, async () => {
  const server = await serve((s) =>
    s.once('data', () => {
      s.resetAndDestroy();
    }),
  );
  try {
    const { store } = await recordWhile(filterFor(server.port), async () => {
      const r = await runPython(
        `import socket, errno, time\ns = socket.create_connection(('127.0.0.1', ${server.port}))\ns.sendall(b'x' * 1000)\ntry:\n    s.recv(100)\n    print('EOF')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])`,
      );
      assert.equal(r.out, 'ECONNRESET');
    });
    const flow = only(buildFlows(store).flows);
    assert.equal(flow.handshake.status, 'established');
    assert.equal(flow.handshake.reset, null);
    assert.equal(flow.payloadToServer, 1000);
    const reset = flow.teardown.reset;
    assert.deepEqual(reset && [reset.by, reset.phase], ['server', 'established']);
    assert.deepEqual([flow.teardown.end, flow.teardown.finBy], ['rst', []]);
    assert.equal(flow.endAt?.row, reset?.row);
    // the resetting socket's state, from its tcp.reset_sent: a close with SO_LINGER 0 disconnects
    // the socket (→ CLOSE) before tcp_disconnect sends the active reset
    assert.equal(reset?.state, 'CLOSE');
  } finally {
    server.close();
  }
});
