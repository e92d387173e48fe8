/**
 * Every tier of sock.send/sock.recv produces the same events: fentry+fexit, kprobe+kretprobe and
 * the sock_send_length/sock_recv_length tracepoints (each forced by avoiding the better ones), with
 * sizes, errno, MSG flags and a latency measured in the kernel. And with tp_btf avoided, the raw
 * tracepoints (no BTF-typed arguments, cookies read from the socket) serve drops and ICMP errors.
 * A tier this kernel lacks is skipped naming the feature.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { probe, type ProbeKind } from '../../electron/native/capture-addon.js';
import { captureSkipReason, freePort, pick, recordWhile, runPython, udpToClosedPort, type Row } from './live.js';

const skip = captureSkipReason();
const features = skip ? undefined : probe().features;
const hasSockLengthTracepoints = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'].some((d) => existsSync(`${d}/events/sock/sock_send_length`));

/** Python: a connected UDP pair sends `count` datagrams with MSG_DONTWAIT and reads them; then a send to a closed port and its refusal. */
function udpExchange(port: number, closed: number, count: number): string {
  return [
    'import socket',
    "r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', " + port + '))',
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('127.0.0.1', " + port + '))',
    `for i in range(${count}):`,
    "    s.send(b'hello', socket.MSG_DONTWAIT)",
    '    r.recv(10)',
    "c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(('127.0.0.1', " + closed + '))',
    "c.send(b'hello')",
    'try:',
    '    c.recv(10)',
    'except ConnectionRefusedError:',
    "    print('refused')",
  ].join('\n');
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Tier {
  readonly name: string;
  readonly avoid: ProbeKind[];
  readonly send: string;
  readonly recv: string;
  readonly skip: string | false;
}

const tiers: Tier[] = [
  { name: 'fentry+fexit on udp_sendmsg/udp_recvmsg', avoid: [], send: 'fexit:udp_sendmsg', recv: 'fexit:udp_recvmsg',
    skip: skip || (!features!.fentry.ok && `fentry/fexit: ${features!.fentry.why}`) },
  { name: 'kprobe+kretprobe on udp_sendmsg/udp_recvmsg', avoid: ['fexit'], send: 'kretprobe:udp_sendmsg', recv: 'kretprobe:udp_recvmsg',
    skip: skip || (!features!.kprobe.ok && `kprobes: ${features!.kprobe.why}`) },
  { name: 'tp_btf sock:sock_send_length/sock_recv_length', avoid: ['fexit', 'kprobe'], send: 'tp_btf:sock:sock_send_length', recv: 'tp_btf:sock:sock_recv_length',
    skip: skip || (!hasSockLengthTracepoints && 'this kernel has no sock:sock_send_length tracepoint (Linux 6.3 or later)') },
];

for (const tier of tiers) {
  test(`sock.send/recv from ${tier.name}: sizes, errno, MSG flags, latency in the kernel`, { skip: tier.skip }, async (t) => {
    const [port, closed] = [await freePort(), await freePort()];
    const count = 50;
    let pid = 0;
    const ports = [port, closed].flatMap((p) => [{ type: 'src' as const, direction: 'both' as const, from: p }, { type: 'dst' as const, direction: 'both' as const, from: p }]);
    const { rows, info } = await recordWhile({ ports },
      async () => void ({ pid } = await runPython(udpExchange(port, closed, count))), { avoidKinds: tier.avoid });
    assert.ok(info.attached.includes(tier.send.replace('udp_', 'tcp_')), `attached: ${info.attached.join(', ')}`);
    const of = (event: string, dport?: number): Row[] => rows.filter((r) => r.event === event && r.pid === pid && (dport === undefined || r.dport === dport));
    const sends = of('sock.send', port);
    const recvs = of('sock.recv', port); // a receive's tuple runs peer → local: dport is the receiver's port
    assert.equal(sends.length, count, `${count} sends`);
    assert.equal(recvs.length, count, `${count} receives`);
    for (const s of sends) assert.deepEqual(pick(s, ['source', 'size', 'comm', 'pid_owner', 'msg_flags']), { source: tier.send, size: 5, comm: 'python3', pid_owner: true, msg_flags: 'MSG_DONTWAIT' });
    for (const r of recvs) assert.deepEqual(pick(r, ['source', 'size', 'direction']), { source: tier.recv, size: 5, direction: 'receive' });
    for (const r of [...sends, ...recvs]) assert.ok(typeof r.latency_ns === 'number' && r.latency_ns > 0, `latency of ${String(r.event)}: ${String(r.latency_ns)}`);
    assert.deepEqual(pick(of('sock.recv_error')[0] ?? {}, ['source', 'errno', 'sport']), { source: tier.recv, errno: 'ECONNREFUSED', sport: closed });
    // figures, not assertions: timings depend on the machine (npm run test:kernels prints them per kernel)
    t.diagnostic(`median latency over ${count}: send ${median(sends.map((r) => r.latency_ns as number))} ns, recv ${median(recvs.map((r) => r.latency_ns as number))} ns (${tier.send})`);
  });
}

test('raw_tp serves the tracepoint events when tp_btf is not used', { skip }, async () => {
  const port = await freePort();
  let pid = 0;
  const filter = { ports: [{ type: 'src' as const, direction: 'both' as const, from: port }, { type: 'dst' as const, direction: 'both' as const, from: port }] };
  const avoidKinds: ProbeKind[] = ['tp_btf'];
  const { rows, info } = await recordWhile(filter, async () => void ({ pid } = await runPython(udpToClosedPort(port))), { avoidKinds });
  assert.ok(info.attached.every((label) => !label.startsWith('tp_btf:')), info.attached.join(', '));
  const one = (event: string) => rows.find((r) => r.event === event)!;
  // sends and receives take the best tier left: fexit or kretprobe where the kernel has them
  const sendSource = info.attached.find((l) => /^(fexit|kretprobe):tcp_sendmsg$|^raw_tp:sock:sock_send_length$/.test(l))!.replace('tcp_', 'udp_');
  const recvSource = sendSource.replace('send', 'recv');
  assert.deepEqual(pick(one('sock.send'), ['source', 'size', 'pid', 'comm', 'dport']), { source: sendSource, size: 5, pid, comm: 'python3', dport: port });
  assert.deepEqual(pick(one('sock.recv_error'), ['source', 'errno', 'pid']), { source: recvSource, errno: 'ECONNREFUSED', pid });
  assert.deepEqual(pick(one('drop.no_socket'), ['source', 'drop_reason', 'dport']), { source: 'raw_tp:skb:kfree_skb', drop_reason: 'NO_SOCKET', dport: port });
  assert.deepEqual(pick(one('icmp.error_sent'), ['source', 'icmp_type', 'icmp_code']), { source: 'raw_tp:icmp:icmp_send', icmp_type: 3, icmp_code: 3 });
  // the socket was created under the capture: its packets carry the sender even without BTF
  assert.deepEqual(pick(one('pkt.udp'), ['pid', 'comm', 'pid_owner', 'socket_cookie']), { pid, comm: 'python3', pid_owner: true, socket_cookie: one('sock.send').socket_cookie });
});
