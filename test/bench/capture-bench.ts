/**
 * Capture figures (root only), from one run on this machine: iperf3 loopback throughput with no
 * capture, with WireView capturing core events at INFO, and with tcpdump writing a file; events/s
 * sustained helper → file and the loss; the slowdown the capture causes to a UDP generator running
 * flat out; CPU seconds per million events. Ratios compare runs of this same command.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';
import { report } from './measure.js';

const bin = join(repoRoot, 'bin', 'wireview.js');
const SECONDS = 5;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** iperf3 TCP on loopback for `SECONDS`: bits/s received. */
function iperf(port: number): number {
  const r = spawnSync('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', String(SECONDS), '-J'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`iperf3 failed: ${r.stderr || r.stdout.slice(0, 200)}`);
  const json = JSON.parse(r.stdout) as { end: { sum_received: { bits_per_second: number } } };
  return json.end.sum_received.bits_per_second;
}

/** A UDP generator on loopback sending 64-byte datagrams flat out for `SECONDS`: datagrams/s. */
function udpFlood(): number {
  const script = `
    const d = require('node:dgram'); const s = d.createSocket('udp4'); const sink = d.createSocket('udp4');
    sink.bind(0, '127.0.0.1', () => {
      const port = sink.address().port; const buf = Buffer.alloc(64); let n = 0;
      const end = Date.now() + ${SECONDS * 1000};
      const burst = () => { for (let i = 0; i < 64; i++) { s.send(buf, port, '127.0.0.1'); n++; }
        if (Date.now() < end) setImmediate(burst); else setTimeout(() => { console.log(n / ${SECONDS}); process.exit(0); }, 50); };
      burst();
    });
    sink.on('message', () => {});`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

interface Capture {
  child: ChildProcess;
  done: Promise<{ user: number; sys: number }>;
}

/** Starts `cmd` under bash so `times` reports the CPU of it and its children when it ends. */
function startMeasured(cmd: string): Capture {
  const child = spawn('bash', ['-c', `${cmd} ; times`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', () => undefined);
  const done = new Promise<{ user: number; sys: number }>((resolve) => {
    child.on('exit', () => {
      // `times`: line 1 the shell, line 2 its children: "0m1.234s 0m0.567s".
      const line = out.trim().split('\n').pop() ?? '';
      const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      resolve({ user: secs[0] ?? NaN, sys: secs[1] ?? NaN });
    });
  });
  return { child, done };
}

function eventsIn(file: string): { events: number; lost: number } {
  const r = spawnSync(process.execPath, [bin, 'info', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`info failed: ${r.stderr}`);
  const info = JSON.parse(r.stdout) as { events: number; lost: number };
  return { events: info.events, lost: info.lost };
}

/** Runs `work` while `cmd` captures; stops it with SIGINT (the whole bash group) afterwards. */
async function during<T>(cmd: string, work: () => T): Promise<{ result: T; cpu: { user: number; sys: number } }> {
  const cap = startMeasured(cmd);
  await sleep(1500); // probes attached, tcpdump listening
  const result = work();
  spawnSync('pkill', ['-INT', '-P', String(cap.child.pid)]);
  const cpu = await cap.done;
  return { result, cpu };
}

export async function captureBench(): Promise<void> {
  console.log(`\n# capture (root, loopback, ${SECONDS} s per run)`);
  if (process.getuid?.() !== 0) {
    console.log('     skipped: live capture needs root');
    return;
  }
  for (const tool of ['iperf3', 'tcpdump']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === null) {
      console.log(`     skipped: ${tool} not installed`);
      return;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'wireview-capbench-'));
  const port = 5201 + Math.floor(Math.random() * 1000);
  const server = spawn('iperf3', ['-s', '-p', String(port)], { stdio: 'ignore' });
  try {
    await sleep(500);
    const wv = (out: string, extra = ''): string => `${process.execPath} ${bin} capture -o ${out} --classes core --priority INFO ${extra}`;

    const base = iperf(port);
    report('iperf3 loopback, no capture', base / 1e9, 'Gbit/s');
    const withWv = await during(wv(join(dir, 'iperf.arrows')), () => iperf(port));
    const withTd = await during(`tcpdump -i lo -w ${join(dir, 'iperf.pcap')} -s 96 2>/dev/null`, () => iperf(port));
    report('iperf3 with WireView (core, INFO)', withWv.result / 1e9, 'Gbit/s', undefined, `${((withWv.result / base) * 100).toFixed(1)}% of no capture`);
    report('iperf3 with tcpdump -s 96 -w', withTd.result / 1e9, 'Gbit/s', undefined, `${((withTd.result / base) * 100).toFixed(1)}% of no capture`);
    report('throughput kept: WireView / tcpdump', withWv.result / withTd.result, '×', { op: '>=', value: 1 });

    const flood = udpFlood();
    report('UDP generator flat out, no capture', flood, 'dgram/s');
    const file = join(dir, 'flood.arrows');
    const captured = await during(wv(file), () => udpFlood());
    const slowdown = (1 - captured.result / flood) * 100;
    report('UDP generator while WireView captures', captured.result, 'dgram/s');
    report('slowdown of the generator', slowdown, '%', { op: '<=', value: 20 });
    const { events, lost } = eventsIn(file);
    const wall = SECONDS + 1.5;
    report('events written helper → file', events, 'events', undefined, `lost ${lost}`);
    report('events/s sustained (over the capture)', events / wall, 'ev/s', undefined, lost === 0 ? 'zero loss' : `LOSS ${lost}`);
    const cpu = captured.cpu.user + captured.cpu.sys;
    report('CPU seconds per million events (helper+CLI)', (cpu / events) * 1e6, 's/M');
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
