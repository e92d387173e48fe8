/**
 * The send/recv latency the capture measures in the kernel, made comparable across kernels and
 * machines. The same traffic on every kernel: a Python process sends `COUNT` 5-byte datagrams on a
 * connected loopback UDP pair and reads each, timing every call itself (time.perf_counter_ns around
 * send() and recv()). The kernel's latency of a call (syscall entry to sock_send_length here, fentry
 * to fexit of udp_sendmsg on 6.1, see docs/kernels.md) lies inside that call, so each one must be
 * at most the caller's wall time of the same call; and the median kernel latency divided by the
 * median wall time (the normalised latency) must be within 10x of the other kernel's, whatever the
 * speed of the machine or emulator.
 *
 * The other kernel's figure: `npm run test:kernels` runs this file on the host first, which writes
 * its figure to WV_LATENCY_OUT, and the VM's run compares with it (WV_LATENCY_REFERENCE). Without
 * one (a plain run), the test compares with the figures recorded in latency-reference.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';
import { captureSkipReason, freePort, recordWhile, runPython, type Row } from './live.js';

const COUNT = 200;
/** How far apart two kernels' normalised latencies may be (a factor). */
const AGREEMENT = 10;

/** One kernel's normalised latency: median kernel latency / median wall time of the same calls. */
interface LatencyFigure {
  readonly kernel: string;
  readonly date: string;
  readonly send: number;
  readonly recv: number;
}

/** Python: times each send() and recv() of `count` datagrams; prints both lists as JSON. */
function timedExchange(port: number, count: number): string {
  return [
    'import socket, time, json',
    `r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', ${port}))`,
    `s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('127.0.0.1', ${port}))`,
    'now = time.perf_counter_ns',
    'send, recv = [], []',
    `for i in range(${count}):`,
    "    t0 = now(); s.send(b'hello'); t1 = now(); r.recv(10); t2 = now()",
    '    send.append(t1 - t0); recv.append(t2 - t1)',
    "print(json.dumps({'send': send, 'recv': recv}))",
  ].join('\n');
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const majorMinor = (kernel: string): string => /^\d+\.\d+/.exec(kernel)?.[0] ?? kernel;

/** The figures of other kernels to compare with: this run's reference file, else the recorded ones. */
function referenceFigures(kernel: string): LatencyFigure[] {
  const other = (f: LatencyFigure): boolean => majorMinor(f.kernel) !== majorMinor(kernel);
  const file = process.env.WV_LATENCY_REFERENCE;
  const fresh = file && existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')) as LatencyFigure].filter(other) : [];
  if (fresh.length) return fresh;
  const recorded = JSON.parse(readFileSync(join(repoRoot, 'test', 'capture', 'latency-reference.json'), 'utf8')) as LatencyFigure[];
  return recorded.filter(other);
}

const skip = captureSkipReason();

test('send/recv latency in the kernel: inside each call, and the same share of the call on every kernel', { skip }, async (t) => {
  const port = await freePort();
  let pid = 0;
  let out = '';
  const ports = [{ type: 'src' as const, direction: 'both' as const, from: port }, { type: 'dst' as const, direction: 'both' as const, from: port }];
  const { rows } = await recordWhile({ ports }, async () => void ({ pid, out } = await runPython(timedExchange(port, COUNT))));
  const wall = JSON.parse(out) as { send: number[]; recv: number[] };
  const byTime = (event: string): Row[] =>
    rows.filter((r) => r.event === event && r.pid === pid && r.dport === port && r.size === 5).sort((a, b) => Number(a.ts_ns) - Number(b.ts_ns));
  const kernelNs = { send: byTime('sock.send').map((r) => r.latency_ns as number), recv: byTime('sock.recv').map((r) => r.latency_ns as number) };
  const figure: LatencyFigure = { kernel: release(), date: new Date().toISOString().slice(0, 10), send: 0, recv: 0 };
  const normalised: Record<'send' | 'recv', number> = { send: 0, recv: 0 };
  for (const call of ['send', 'recv'] as const) {
    const k = kernelNs[call];
    assert.equal(k.length, COUNT, `${COUNT} sock.${call} rows with a size of 5`);
    for (let i = 0; i < COUNT; i++) {
      assert.ok(typeof k[i] === 'number' && k[i]! > 0, `${call} ${i}: latency ${String(k[i])}`);
      assert.ok(k[i]! <= wall[call][i]!, `${call} ${i}: ${k[i]} ns in the kernel, more than the ${wall[call][i]} ns the whole call took`);
    }
    normalised[call] = median(k) / median(wall[call]);
    t.diagnostic(`${call}: median ${median(k)} ns in the kernel, ${median(wall[call])} ns per call in the caller: normalised ${normalised[call].toFixed(3)} (${release()})`);
  }
  Object.assign(figure, normalised);
  if (process.env.WV_LATENCY_OUT) writeFileSync(process.env.WV_LATENCY_OUT, JSON.stringify(figure) + '\n');
  const references = referenceFigures(figure.kernel);
  assert.ok(references.length > 0, 'no figure of another kernel to compare with (latency-reference.json)');
  for (const ref of references) {
    for (const call of ['send', 'recv'] as const) {
      const ratio = figure[call] / ref[call];
      t.diagnostic(`${call}: normalised ${figure[call].toFixed(3)} here, ${ref[call].toFixed(3)} on ${ref.kernel} (${ref.date}): ratio ${ratio.toFixed(2)}`);
      assert.ok(ratio <= AGREEMENT && ratio >= 1 / AGREEMENT, `${call}: normalised latency ${figure[call].toFixed(3)} on ${figure.kernel} vs ${ref[call].toFixed(3)} on ${ref.kernel}: more than ${AGREEMENT}x apart`);
    }
  }
});
