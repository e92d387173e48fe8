/**
 * Live capture filters applied in the kernel: class and priority with per-event switches, comm,
 * pid (set while running, through reconfigure), and address filters with type and direction —
 * each test checks what must get through and what must not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { captureSkipReason, EVENTS_WITHOUT_PORTS, freePort, freePorts, recordWhile, runPython, udpToClosedPort, type Row } from './live.js';

const skip = captureSkipReason();
const names = (rows: readonly Row[]) => [...new Set(rows.map((r) => String(r.event)))].sort();
const bothWays = (port: number) => [
  { type: 'src' as const, direction: 'both' as const, from: port },
  { type: 'dst' as const, direction: 'both' as const, from: port },
];

/** A UDP socket bound to `local` (sock.bind: aux INFO) connected to the closed `port` (sock.connect: aux NOTICE) sending once. */
function boundToClosedPort(local: number, port: number): string {
  return [
    'import socket',
    's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    `s.bind(('127.0.0.1', ${local}))`,
    `s.connect(('127.0.0.1', ${port}))`,
    "s.send(b'hello')",
    'try:',
    '    s.recv(10)',
    'except ConnectionRefusedError:',
    '    pass',
  ].join('\n');
}

test('classes, priority threshold, enable and disable select events the WindView way', { skip }, async () => {
  const [port, local] = (await freePorts(2)) as [number, number];
  // aux at the threshold or above, plus sock.send (core INFO) by name, minus icmp.error_sent (aux
  // WARNING); the events a port filter cannot narrow are off too (other work on the machine has them)
  const at = (priority: 'INFO' | 'NOTICE') => ({ classes: ['aux' as const], priority, enable: ['sock.send'], disable: ['icmp.error_sent', ...EVENTS_WITHOUT_PORTS], ports: [...bothWays(port), ...bothWays(local)] });
  const info = await recordWhile(at('INFO'), async () => void (await runPython(boundToClosedPort(local, port))));
  // the same work at INFO has the aux INFO event that NOTICE must leave out
  assert.deepEqual(names(info.rows), ['sock.bind', 'sock.connect', 'sock.send']);
  const notice = await recordWhile(at('NOTICE'), async () => void (await runPython(boundToClosedPort(local, port))));
  assert.deepEqual(names(notice.rows), ['sock.connect', 'sock.send']);
});

test('comm filter keeps only the named command, and drops what has no process', { skip }, async () => {
  const [keepPort, dropPort] = [await freePort(), await freePort()];
  const filter = { priority: 'VERBOSE' as const, comms: ['wvkeep'], disable: ['dev.xmit', 'dev.recv'] };
  const { rows } = await recordWhile(filter, async () => {
    await Promise.all([runPython(udpToClosedPort(keepPort, '127.0.0.1', 'wvkeep')), runPython(udpToClosedPort(dropPort, '127.0.0.1', 'wvdrop'))]);
  });
  assert.ok(rows.every((r) => r.comm === 'wvkeep'), 'only wvkeep');
  const ours = rows.filter((r) => r.dport === keepPort || r.sport === keepPort);
  assert.deepEqual(names(ours), ['pkt.udp', 'sock.connect', 'sock.recv_error', 'sock.send']);
  assert.equal(rows.filter((r) => r.dport === dropPort || r.sport === dropPort).length, 0);
});

test('a pid filter set while running takes effect for the next calls', { skip }, async () => {
  const [port, other] = [await freePort(), await freePort()];
  const ports = [...bothWays(port), ...bothWays(other)];
  let childPid = 0;
  // starts with a pid nobody has; the child waits on stdin until the capture knows its pid
  const { rows } = await recordWhile({ pids: [0x3ffffff0], ports }, async (capture) => {
    const child = spawn('python3', ['-c', `import sys\nsys.stdin.readline()\n${udpToClosedPort(port)}`], { stdio: ['pipe', 'ignore', 'inherit'] });
    childPid = child.pid!;
    capture.reconfigure({ pids: [childPid], ports });
    child.stdin.end('go\n');
    assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
    await runPython(udpToClosedPort(other)); // another process: filtered out
  });
  assert.ok(rows.every((r) => r.pid === childPid), 'only the child');
  assert.deepEqual(names(rows), ['pkt.udp', 'sock.connect', 'sock.recv_error', 'sock.send']);
});

test('address filters: destination on output and source on input narrow to one peer', { skip }, async () => {
  const [near, far] = [await freePort(), await freePort()];
  // the far peer is this test's own address on lo (DEVELOPERS.md, "Addressing rule"): no other
  // traffic on the machine goes to it, so every row the filter lets through must be ours
  const peer = '127.77.21.2';
  const filter = {
    priority: 'INFO' as const,
    addrs: [{ type: 'dst' as const, direction: 'out' as const, cidr: `${peer}/32` }, { type: 'src' as const, direction: 'in' as const, cidr: peer }],
  };
  const { rows } = await recordWhile(filter, async () => {
    await runPython(udpToClosedPort(near, '127.0.0.1'));
    await runPython(udpToClosedPort(far, peer));
  });
  assert.ok(rows.every((r) => r.daddr === undefined || r.daddr === peer || r.saddr === peer), `only ${peer}`);
  assert.equal(rows.filter((r) => r.dport === near || r.sport === near).length, 0);
  const far_ = rows.filter((r) => r.dport === far || r.sport === far);
  assert.deepEqual(names(far_), ['drop.no_socket', 'icmp.error_sent', 'pkt.udp', 'sock.connect', 'sock.recv_error', 'sock.send']);
});
