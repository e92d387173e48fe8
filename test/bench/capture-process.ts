/**
 * What the capture benchmarks share: the CLI binary, a UDP generator, the CPU time of a process
 * from /proc, and running work while a capture (or tcpdump) records it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';

export const bin = join(repoRoot, 'bin', 'wireview.js');
export const SECONDS = 5;
/** USER_HZ: the unit of /proc/<pid>/stat times (100 on every Linux ABI Node runs on). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A UDP generator on loopback sending 64-byte datagrams flat out for `SECONDS`; prints datagrams
 * sent per second, datagrams received, and its own CPU seconds (one process sends and receives).
 */
export const FLOOD = `
    const d = require('node:dgram'); const s = d.createSocket('udp4'); const sink = d.createSocket('udp4');
    let got = 0;
    sink.bind(0, '127.0.0.1', () => {
      const port = sink.address().port; const buf = Buffer.alloc(64); let n = 0;
      const end = Date.now() + ${SECONDS * 1000};
      const done = () => { const c = process.cpuUsage(); console.log(n / ${SECONDS}, got, (c.user + c.system) / 1e6); process.exit(0); };
      const burst = () => { for (let i = 0; i < 64; i++) { s.send(buf, port, '127.0.0.1'); n++; }
        if (Date.now() < end) setImmediate(burst); else setTimeout(done, 50); };
      burst();
    });
    sink.on('message', () => { got++; });`;

export interface Flood {
  /** Datagrams sent per second. */
  readonly perSecond: number;
  readonly received: number;
  /** The generator's own CPU (user + system, which includes the kernel's work and BPF on its thread). */
  readonly cpuSeconds: number;
}

export function udpFloodDetail(): Flood {
  const r = spawnSync(process.execPath, ['-e', FLOOD], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  const [perSecond, received, cpuSeconds] = r.stdout.trim().split(' ').map(Number);
  return { perSecond: perSecond!, received: received!, cpuSeconds: cpuSeconds! };
}

export function udpFlood(): number {
  return udpFloodDetail().perSecond;
}

/** iperf3 TCP on loopback for `SECONDS` against the server on `port`: bits/s received. */
export function iperfBits(port: number): number {
  const r = spawnSync('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', String(SECONDS), '-J'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`iperf3 failed: ${r.stderr || r.stdout.slice(0, 200)}`);
  return (JSON.parse(r.stdout) as { end: { sum_received: { bits_per_second: number } } }).end.sum_received.bits_per_second;
}

/** capture-sendloop.c, compiled into `dir` (cc); undefined without a C compiler. */
export function buildSendLoop(dir: string): string | undefined {
  const exe = join(dir, 'capture-sendloop');
  const r = spawnSync('cc', ['-O2', '-o', exe, join(repoRoot, 'test', 'bench', 'capture-sendloop.c')], { stdio: 'inherit' });
  return r.status === 0 ? exe : undefined;
}

/** ns of thread CPU per send of capture-sendloop, each of `runs` runs of 1M sends. */
export function sendLoop(exe: string, runs = 3): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(Number(spawnSync(exe, ['1000000'], { encoding: 'utf8' }).stdout.trim()));
  return out;
}

/** utime+stime of one process, in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). */
export function cpuSecondsOf(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // gone: it no longer costs anything
  }
  // The comm (field 2) may hold spaces: the fields after it start after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
}

/** Pids of the direct children of `pid` (the capture helper is the CLI's child). */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return kids;
}

export function eventsIn(file: string): { events: number; lost: number } {
  const r = spawnSync(process.execPath, [bin, 'info', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`info failed: ${r.stderr}`);
  const info = JSON.parse(r.stdout) as { events: number; lost: number };
  return { events: info.events, lost: info.lost };
}

export interface Measured<T> {
  result: T;
  /** CPU of the CLI and its helper from their start until the work began: start-up, BPF load, attach. */
  startupCpu: number;
  /** CPU of the CLI and its helper while the work ran. */
  workCpu: number;
  /** The same per process: the CLI first, then its children (the helper). */
  workCpuByPid: { pid: number; cpu: number }[];
}

/**
 * Runs `work` while `argv` captures: waits for the capture to announce itself on stderr (`ready`),
 * samples the CPU of the process and its children just before and just after `work`, then stops
 * the capture with SIGINT and waits for it to finish its file.
 */
export async function during<T>(argv: readonly string[], ready: RegExp | null, work: () => T): Promise<Measured<T>> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (ready === null ? resolve() : reject(new Error(`${argv[0]} did not start: ${err}`))), ready === null ? 1500 : 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (ready !== null && ready.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`${argv[0]} exited early: ${err}`)));
  });
  await sleep(300); // let the first frames settle
  const pids = [child.pid!, ...childrenOf(child.pid!)];
  const before = pids.map(cpuSecondsOf);
  const result = work();
  const after = pids.map(cpuSecondsOf);
  child.kill('SIGINT');
  await exited;
  const workCpuByPid = pids.map((pid, i) => ({ pid, cpu: after[i]! - before[i]! }));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  return { result, startupCpu: sum(before), workCpu: sum(after) - sum(before), workCpuByPid };
}

