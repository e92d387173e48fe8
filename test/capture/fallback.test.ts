/**
 * The fallbacks produce the same events: with tp_btf avoided, the raw tracepoints (no BTF-typed
 * arguments, cookies read from the socket) serve sends, receives, drops and ICMP errors, and say so
 * in the source column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureSkipReason, freePort, pick, recordWhile, runPython, udpToClosedPort } from './live.js';

const skip = captureSkipReason();

test('raw_tp serves the tracepoint events when tp_btf is not used', { skip }, async () => {
  const port = await freePort();
  let pid = 0;
  const filter = { ports: [{ type: 'src' as const, direction: 'both' as const, from: port }, { type: 'dst' as const, direction: 'both' as const, from: port }] };
  const { rows, info } = await recordWhile(filter, async () => void ({ pid } = await runPython(udpToClosedPort(port))), { avoidKinds: ['tp_btf'] });
  assert.ok(info.attached.every((label) => !label.startsWith('tp_btf:')), info.attached.join(', '));
  const one = (event: string) => rows.find((r) => r.event === event)!;
  assert.deepEqual(pick(one('sock.send'), ['source', 'size', 'pid', 'comm', 'dport']), { source: 'raw_tp:sock:sock_send_length', size: 5, pid, comm: 'python3', dport: port });
  assert.deepEqual(pick(one('sock.recv_error'), ['source', 'errno', 'pid']), { source: 'raw_tp:sock:sock_recv_length', errno: 'ECONNREFUSED', pid });
  assert.deepEqual(pick(one('drop.no_socket'), ['source', 'drop_reason', 'dport']), { source: 'raw_tp:skb:kfree_skb', drop_reason: 'NO_SOCKET', dport: port });
  assert.deepEqual(pick(one('icmp.error_sent'), ['source', 'icmp_type', 'icmp_code']), { source: 'raw_tp:icmp:icmp_send', icmp_type: 3, icmp_code: 3 });
  // the socket was created under the capture: its packets carry the sender even without BTF
  assert.deepEqual(pick(one('pkt.udp'), ['pid', 'comm', 'pid_owner', 'socket_cookie']), { pid, comm: 'python3', pid_owner: true, socket_cookie: one('sock.send').socket_cookie });
});
