/**
 * Live capture of refusals: a TCP connect to a closed port (the RST, the drop of the SYN, the
 * refused connect) and a UDP datagram to a closed port (the ICMP port unreachable, the drop, the
 * sender's receive error), each with its exact events and the sender's process on its calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureSkipReason, EVENTS_WITHOUT_PORTS, freePort, pick, recordWhile, RESET_SENT_WITHOUT_SOCKET, runPython, udpToClosedPort, withoutPortlessDrops, type Row } from './live.js';

const skip = captureSkipReason();
const portFilter = (port: number) => ({
  priority: 'VERBOSE' as const,
  // pkt.ip (other IP protocols) has no ports either: neither scenario makes one, other traffic may
  disable: [...EVENTS_WITHOUT_PORTS, 'pkt.ip'],
  ports: [{ type: 'src' as const, direction: 'both' as const, from: port }, { type: 'dst' as const, direction: 'both' as const, from: port }],
});
const names = (rows: readonly Row[]) => rows.map((r) => String(r.event)).sort();
/** The closed UDP port's address: this test's own (DEVELOPERS.md, "Addressing rule"), on lo. */
const CLOSED_HOST = '127.77.20.1';

test('TCP connect to a closed port: SYN, RST sent and received, NO_SOCKET drop, ECONNREFUSED', { skip }, async () => {
  const port = await freePort();
  let pid = 0;
  const { rows: all, stats } = await recordWhile(portFilter(port), async () => {
    const r = await runPython(`import socket\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', ${port}))\nexcept ConnectionRefusedError:\n    print('refused')`);
    assert.equal(r.out, 'refused');
    pid = r.pid;
  });
  const rows = withoutPortlessDrops(all, port);
  assert.equal(stats.lost, 0);
  assert.deepEqual(names(rows), [
    'drop.no_socket', 'pkt.tcp', 'pkt.tcp', 'pkt.tcp', 'sock.connect_error', 'tcp.reset_received', ...RESET_SENT_WITHOUT_SOCKET, 'tcp.state', 'tcp.state',
  ]);
  const one = (event: string) => rows.find((r) => r.event === event)!;
  const proc = { pid, comm: 'python3', pid_owner: true };
  assert.deepEqual(pick(one('sock.connect_error'), ['errno', 'dport', 'pid', 'comm', 'pid_owner']), { errno: 'ECONNREFUSED', dport: port, ...proc });
  assert.deepEqual(rows.filter((r) => r.event === 'pkt.tcp').map((r) => pick(r, ['direction', 'tcp_flags', 'dport', 'sport'])), [
    { direction: 'output', tcp_flags: ['SYN'], dport: port, sport: one('sock.connect_error').sport },
    { direction: 'output', tcp_flags: ['RST', 'ACK'], sport: port, dport: one('sock.connect_error').sport },
    { direction: 'input', tcp_flags: ['RST', 'ACK'], sport: port, dport: one('sock.connect_error').sport },
  ]);
  assert.deepEqual(pick(one('drop.no_socket'), ['drop_reason', 'dport', 'pid']), { drop_reason: 'NO_SOCKET', dport: port, pid: undefined });
  if (RESET_SENT_WITHOUT_SOCKET.length) assert.deepEqual(pick(one('tcp.reset_sent'), ['sport', 'pid']), { sport: port, pid: undefined }); // no socket: nobody's
  assert.deepEqual(pick(one('tcp.reset_received'), ['dport', 'state_new', ...Object.keys(proc)]), { dport: port, state_new: 'SYN_SENT', ...proc });
  const states = rows.filter((r) => r.event === 'tcp.state').map((r) => `${r.state_old}>${r.state_new}`);
  assert.deepEqual(states, ['CLOSE>SYN_SENT', 'SYN_SENT>CLOSE']);
});

test('UDP to a closed port: ICMP port unreachable sent, NO_SOCKET drop, ECONNREFUSED on recv', { skip }, async () => {
  const port = await freePort();
  let pid = 0;
  const { rows } = await recordWhile(portFilter(port), async () => {
    const r = await runPython(udpToClosedPort(port, CLOSED_HOST));
    assert.equal(r.out, 'refused');
    pid = r.pid;
  });
  // ICMP rows have no ports: keep those that answer our datagram (from the address nobody else uses)
  const ours = withoutPortlessDrops(rows, port).filter((r) => r.proto !== 'ICMP' || (r.icmp_type === 3 && r.icmp_code === 3 && r.saddr === CLOSED_HOST));
  assert.deepEqual(names(ours), ['drop.no_socket', 'icmp.error_sent', 'pkt.icmp', 'pkt.udp', 'sock.connect', 'sock.recv_error', 'sock.send']);
  const one = (event: string) => ours.find((r) => r.event === event)!;
  const proc = { pid, comm: 'python3', pid_owner: true };
  const sender = one('sock.send');
  assert.deepEqual(pick(sender, ['size', 'proto', 'dport', ...Object.keys(proc)]), { size: 5, proto: 'UDP', dport: port, ...proc });
  assert.deepEqual(pick(one('pkt.udp'), ['direction', 'size', 'udp_len', 'sport', 'dport', 'socket_cookie', ...Object.keys(proc)]), {
    direction: 'output', size: 5, udp_len: 13, sport: sender.sport, dport: port, socket_cookie: sender.socket_cookie, ...proc,
  });
  assert.deepEqual(pick(one('icmp.error_sent'), ['icmp_type', 'icmp_code', 'udp_len', 'dport']), { icmp_type: 3, icmp_code: 3, udp_len: 13, dport: port });
  assert.deepEqual(pick(one('drop.no_socket'), ['drop_reason', 'dport']), { drop_reason: 'NO_SOCKET', dport: port });
  assert.deepEqual(pick(one('sock.recv_error'), ['errno', 'direction', 'sport', ...Object.keys(proc)]), { errno: 'ECONNREFUSED', direction: 'receive', sport: port, ...proc });
  assert.deepEqual(pick(one('sock.connect'), ['dport', 'errno', 'socket_cookie', ...Object.keys(proc)]), { dport: port, errno: undefined, socket_cookie: sender.socket_cookie, ...proc });
});
