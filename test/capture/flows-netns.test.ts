/**
 * Live flows into a network namespace (as root, addresses 127.77.61.0/24 and 127.77.62.0/24): a
 * connect whose SYNs the namespace drops (SYN timeout), and a transfer through an nftables rule
 * that drops a share of the segments at random (`numgen random`; netem is not built into this
 * kernel). The flow's diagnosis must match what the kernel did: its SYN retransmits and their times,
 * ETIMEDOUT; every retransmitted segment, counted once, as many as tcp.retransmit reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildFlows } from '../../renderer/engine/flows/build.js';
import { EVENTS_WITHOUT_PORTS, captureSkipReason, freePort, ofAddress, recordWhile, runPython } from './live.js';
import { netnsSkipReason, pythonInNamespace, sh, withVeth } from './netns.js';

const skip = captureSkipReason() || netnsSkipReason(true);
const bothWays = (port: number) => [
  { type: 'src' as const, direction: 'both' as const, from: port },
  { type: 'dst' as const, direction: 'both' as const, from: port },
];

function nftInput(ns: string, rule: string): void {
  const nft = (command: string) => sh('ip', 'netns', 'exec', ns, 'nft', command);
  nft('add table inet wvflows');
  nft('add chain inet wvflows input { type filter hook input priority 0; }');
  nft(`add rule inet wvflows input ${rule}`);
}

test('live flow: SYN timeout — every SYN retransmit with its backoff, ETIMEDOUT, no answer', { skip }, async () => {
  await withVeth(61, async (v) => {
    const port = await freePort();
    nftInput(v.ns, `tcp dport ${port} tcp flags syn drop`);
    // TCP_SYNCNT 1: the kernel gives up after the first retransmit's timeout
    const client = `import socket, errno\ns = socket.socket()\ns.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 1)\ntry:\n    s.connect(('${v.nsAddr}', ${port}))\nexcept OSError as e:\n    print(errno.errorcode[e.errno])`;
    const { store, rows: all, stats } = await recordWhile({ priority: 'INFO', ports: bothWays(port), disable: [...EVENTS_WITHOUT_PORTS] }, async () => {
      assert.equal((await runPython(client)).out, 'ETIMEDOUT');
    });
    const rows = ofAddress(all, v.nsAddr);
    const flow = buildFlows(store).flows.filter((f) => f.server.addr === v.nsAddr);
    assert.equal(flow.length, 1);
    const f = flow[0]!;
    const syns = rows.filter((r) => r.event === 'pkt.tcp');
    const retransmits = rows.filter((r) => r.event === 'tcp.retransmit').length;
    // on failure, every row of the namespace's address: what the capture saw instead
    const seen = (): string => rows.map((r) => `${String(r.ts_ns)} ${String(r.event)} ${String(r.tcp_flags ?? '')} ${String(r.direction ?? '')} ${String(r.sport)}>${String(r.dport)}`).join('; ');
    assert.ok(syns.length >= 2 && retransmits === syns.length - 1, `${syns.length} SYNs, ${retransmits} tcp.retransmit (${stats.events['tcp.retransmit'] ?? 0} read from the kernel); lost ${stats.lost}: ${seen()}`);
    const h = f.handshake;
    assert.deepEqual([h.status, h.connectErrno, h.synRetransmits, h.rttNs, h.reset, h.slow], ['timeout', 'ETIMEDOUT', syns.length - 1, null, null, true]);
    assert.deepEqual([f.server, f.direction, f.packetsToServer, f.packetsToClient, f.teardown.end], [{ addr: v.nsAddr, port }, 'outgoing', syns.length, 0, 'open']);
    // the backoff: the SYN times are the packets', the first retransmit after the 1 s initial RTO, each wait doubling
    assert.deepEqual(h.synTimes, syns.map((r) => Number(BigInt(String(r.ts_ns)) - store.baseNs!)));
    const gaps = h.synTimes.slice(1).map((t, i) => t - h.synTimes[i]!);
    assert.ok(gaps[0]! >= 0.9e9 && gaps[0]! < 1.5e9, `first backoff ${gaps[0]} ns`);
    // later waits double the RTO, clamped to what is left of the connect's timeout (1 s + 2 s for TCP_SYNCNT 1)
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i]! >= 0.9e9, `backoff ${i}: ${gaps.join(', ')}`);
    const failedAt = Number(BigInt(String(rows.find((r) => r.event === 'sock.connect_error')!.ts_ns)) - store.baseNs!);
    assert.ok(Math.abs(failedAt - h.synTimes[0]! - 3e9) < 0.3e9, `ETIMEDOUT 3 s after the first SYN (${failedAt - h.synTimes[0]!} ns)`);
    assert.equal(f.drops, syns.length, 'each SYN dropped by the filter');
  });
});

test('live flow: retransmissions under induced loss — counted once each, as the kernel reports them', { skip }, async () => {
  await withVeth(62, async (v) => {
    const port = await freePort();
    // a fifth of the data segments to the server vanish; the handshake and the FIN get through
    nftInput(v.ns, `tcp dport ${port} tcp flags & (syn | fin) == 0 meta l4proto tcp numgen random mod 100 < 20 drop`);
    const server = `import socket\na = socket.socket()\na.bind(('${v.nsAddr}', ${port}))\na.listen()\nprint('ready', flush=True)\ns, _ = a.accept()\nn = 0\nwhile True:\n    d = s.recv(65536)\n    if not d: break\n    n += len(d)\nprint(n, flush=True)\ns.close()`;
    const total = 300_000;
    let received = '';
    const { store, rows: all } = await recordWhile({ priority: 'INFO', ports: bothWays(port), disable: [...EVENTS_WITHOUT_PORTS] }, async () => {
      const { done } = await pythonInNamespace(v.ns, server);
      const socket = net.connect({ host: v.nsAddr, port, localAddress: v.hostAddr });
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      // small writes with Nagle off: many segments, so that the 20 % loss hits some
      socket.setNoDelay(true);
      for (let sent = 0; sent < total; sent += 1000) {
        socket.write(Buffer.alloc(1000, 120));
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.end();
      await new Promise((resolve) => socket.once('close', resolve).resume());
      received = (await done).trim();
    }, {}, 300);
    assert.equal(received.split('\n').pop(), String(total));
    const rows = ofAddress(all, v.nsAddr);
    const flows = buildFlows(store).flows.filter((f) => f.server.addr === v.nsAddr);
    assert.equal(flows.length, 1);
    const f = flows[0]!;
    assert.equal(f.handshake.status, 'established');
    assert.equal(f.payloadToServer >= total, true, `all the data left the client at least once (${f.payloadToServer})`);
    const kernel = rows.filter((r) => r.event === 'tcp.retransmit').length;
    assert.ok(kernel > 0, 'the loss made the kernel retransmit');
    assert.equal(f.kernelRetransmits, kernel);
    assert.equal(f.retransmissions, kernel, 'retransmitted segments seen leaving the client = tcp.retransmit events');
    assert.equal(f.payloadToServer - total, retransmittedBytes(rows), 'extra payload = the retransmitted segments');
    assert.ok(f.drops > 0 && f.drops <= f.packetsToServer);
    assert.deepEqual([f.teardown.end, f.teardown.finBy[0]], ['fin', 'client']);
  });
});

/** Payload of the segments the client sent again: those whose seq the client had already sent. */
function retransmittedBytes(rows: readonly Readonly<Record<string, unknown>>[]): number {
  let next = -1;
  let bytes = 0;
  for (const r of rows) {
    if (r.event !== 'pkt.tcp' || r.direction !== 'output' || r.saddr === undefined || (r.tcp_flags as string[]).includes('SYN')) continue;
    const size = r.size as number;
    if (size === 0) continue;
    const seq = r.tcp_seq as number;
    if (next >= 0 && ((seq - next) | 0) < 0) bytes += size;
    if (next < 0 || ((next - (seq + size)) | 0) < 0) next = (seq + size) >>> 0;
  }
  return bytes;
}
