/**
 * Packets seen on lo agree with `tcpdump -i lo` run alongside: a few thousand TCP segments (a
 * ping-pong of small writes) and UDP datagrams, counted by both. tcpdump sees each packet once, as
 * lo sends it; WireView sees it leave one local socket (output) and reach the other (input).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureSkipReason, freePort, recordWhile, runPython, withTimeout } from './live.js';

const ROUNDS = 1000;
const DATAGRAMS = 1000;
const noTcpdump = spawnSync('tcpdump', ['--version']).error ? 'tcpdump is not installed' : false;
const skip = captureSkipReason() || noTcpdump;

const traffic = (tcpPort: number, udpPort: number) => `import socket
srv = socket.socket()
srv.bind(('127.0.0.1', ${tcpPort}))
srv.listen()
c = socket.create_connection(('127.0.0.1', ${tcpPort}))
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s, _ = srv.accept()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range(${ROUNDS}):
    c.sendall(b'x' * 100)
    s.recv(100)
    s.sendall(b'y')
    c.recv(1)
c.close()
s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(('127.0.0.1', ${udpPort}))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(${DATAGRAMS}):
    v.sendto(b'z', ('127.0.0.1', ${udpPort}))
    u.recv(10)`;

/** Starts tcpdump on lo writing `file`; resolves once it is listening, with a function that stops it. */
async function startTcpdump(file: string, expression: string): Promise<() => Promise<void>> {
  const child = spawn('tcpdump', ['-i', 'lo', '-n', '-B', '16384', '-w', file, expression], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await withTimeout(new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${err}`)));
  }), 5000, 'tcpdump did not start listening');
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // libpcap hands over a partly filled buffer block only after its 1 s timeout: wait for it
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    await withTimeout(exited, 5000, 'tcpdump did not stop');
    assert.match(err, /^0 packets dropped by kernel$/m);
  };
}

/** Packets of each protocol in a pcap file, as tcpdump reads them back. */
function countPcap(file: string): { tcp: number; udp: number } {
  const r = spawnSync('tcpdump', ['-r', file, '-n', '-q'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = r.stdout.split('\n').filter(Boolean);
  return { tcp: lines.filter((l) => / tcp /i.test(l)).length, udp: lines.filter((l) => / UDP/.test(l)).length };
}

test('packets on lo: WireView and tcpdump count the same TCP and UDP packets', { skip }, async () => {
  const [tcpPort, udpPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'wv-tcpdump-'));
  try {
    const file = join(dir, 'lo.pcap');
    const ports = [tcpPort, udpPort].flatMap((p) => [{ type: 'src' as const, direction: 'both' as const, from: p }, { type: 'dst' as const, direction: 'both' as const, from: p }]);
    let stopTcpdump: (() => Promise<void>) | undefined;
    const { rows, stats } = await recordWhile({ classes: [], enable: ['pkt.tcp', 'pkt.udp'], ports }, async () => {
      stopTcpdump = await startTcpdump(file, `port ${tcpPort} or port ${udpPort}`);
      await runPython(traffic(tcpPort, udpPort));
    }, { ringBufferBytes: 1 << 24 }, 300);
    await stopTcpdump!();
    const dumped = countPcap(file);
    assert.equal(stats.lost, 0);
    const count = (event: string, direction: string) => rows.filter((r) => r.event === event && r.direction === direction).length;
    const seen = { tcp: count('pkt.tcp', 'output'), udp: count('pkt.udp', 'output') };
    assert.equal(dumped.udp, DATAGRAMS);
    assert.ok(dumped.tcp >= 2 * ROUNDS, `at least a segment per write (${dumped.tcp})`);
    for (const proto of ['tcp', 'udp'] as const) {
      const tolerance = Math.floor(dumped[proto] * 0.005);
      assert.ok(Math.abs(seen[proto] - dumped[proto]) <= tolerance, `${proto}: WireView ${seen[proto]} output packets, tcpdump ${dumped[proto]}`);
    }
    // both ends are local sockets: every packet that left one reached the other
    assert.equal(count('pkt.tcp', 'input'), seen.tcp);
    assert.equal(count('pkt.udp', 'input'), seen.udp);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
