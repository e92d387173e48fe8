/**
 * Capture figures (root only), from one run on this machine: iperf3 loopback throughput with no
 * capture, with WireView capturing core events at INFO, and with tcpdump writing a file; events/s
 * sustained helper → file and the loss; the slowdown the capture causes to a UDP generator running
 * flat out; CPU seconds per million events. Ratios compare runs of this same command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';
import { recordFrames, replayCpu } from './capture-replay.js';
import { report } from './measure.js';

const bin = join(repoRoot, 'bin', 'wireview.js');
const SECONDS = 5;
/** USER_HZ: the unit of /proc/<pid>/stat times (100 on every Linux ABI Node runs on). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

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

/** A UDP generator on loopback sending 64-byte datagrams flat out for `SECONDS`, printing datagrams/s. */
const FLOOD = `
    const d = require('node:dgram'); const s = d.createSocket('udp4'); const sink = d.createSocket('udp4');
    sink.bind(0, '127.0.0.1', () => {
      const port = sink.address().port; const buf = Buffer.alloc(64); let n = 0;
      const end = Date.now() + ${SECONDS * 1000};
      const burst = () => { for (let i = 0; i < 64; i++) { s.send(buf, port, '127.0.0.1'); n++; }
        if (Date.now() < end) setImmediate(burst); else setTimeout(() => { console.log(n / ${SECONDS}); process.exit(0); }, 50); };
      burst();
    });
    sink.on('message', () => {});`;

function udpFlood(): number {
  const r = spawnSync(process.execPath, ['-e', FLOOD], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** utime+stime of one process, in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). */
function cpuSecondsOf(pid: number): number {
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
function childrenOf(pid: number): number[] {
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

function eventsIn(file: string): { events: number; lost: number } {
  const r = spawnSync(process.execPath, [bin, 'info', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`info failed: ${r.stderr}`);
  const info = JSON.parse(r.stdout) as { events: number; lost: number };
  return { events: info.events, lost: info.lost };
}

interface Measured<T> {
  result: T;
  /** CPU of the CLI and its helper from their start until the work began: start-up, BPF load, attach. */
  startupCpu: number;
  /** CPU of the CLI and its helper while the work ran. */
  workCpu: number;
}

/**
 * Runs `work` while `argv` captures: waits for the capture to announce itself on stderr (`ready`),
 * samples the CPU of the process and its children just before and just after `work`, then stops
 * the capture with SIGINT and waits for it to finish its file.
 */
async function during<T>(argv: readonly string[], ready: RegExp | null, work: () => T): Promise<Measured<T>> {
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
  const cpuNow = (): number => pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  const before = cpuNow();
  const result = work();
  const after = cpuNow();
  child.kill('SIGINT');
  await exited;
  return { result, startupCpu: before, workCpu: after - before };
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
    const wv = (out: string): string[] => [process.execPath, bin, 'capture', '-o', out, '--classes', 'core', '--priority', 'INFO'];
    const wvReady = /capturing to /;

    const base = iperf(port);
    report('iperf3 loopback, no capture', base / 1e9, 'Gbit/s');
    const withWv = await during(wv(join(dir, 'iperf.arrows')), wvReady, () => iperf(port));
    const withTd = await during(['tcpdump', '-i', 'lo', '-w', join(dir, 'iperf.pcap'), '-s', '96'], /listening on/, () => iperf(port));
    report('iperf3 with WireView (core, INFO)', withWv.result / 1e9, 'Gbit/s', undefined, `${((withWv.result / base) * 100).toFixed(1)}% of no capture`);
    report('iperf3 with tcpdump -s 96 -w', withTd.result / 1e9, 'Gbit/s', undefined, `${((withTd.result / base) * 100).toFixed(1)}% of no capture`);
    report('throughput kept: WireView / tcpdump', withWv.result / withTd.result, '×', { op: '>=', value: 1 });

    const flood = udpFlood();
    report('UDP generator flat out, no capture', flood, 'dgram/s');
    const file = join(dir, 'flood.arrows');
    const captured = await during(wv(file), wvReady, () => udpFlood());
    const slowdown = (1 - captured.result / flood) * 100;
    report('UDP generator while WireView captures', captured.result, 'dgram/s');
    report('slowdown of the generator', slowdown, '%', { op: '<=', value: 20 });
    const { events, lost } = eventsIn(file);
    report('events written helper → file', events, 'events', undefined, `lost ${lost}`);
    report('events/s sustained (over the flood)', events / SECONDS, 'ev/s', undefined, lost === 0 ? 'zero loss' : `LOSS ${lost}`);
    report('CPU seconds per million events (helper+CLI)', (captured.workCpu / events) * 1e6, 's/M', undefined, 'over the flood only');
    report('start-up CPU (helper+CLI, BPF load, attach)', captured.startupCpu, 's', undefined, 'per capture, not per event');

    // The CLI alone, in CPU time: the flood's frames replayed, with the reused frame buffers and without (the baseline).
    const recorded = await recordFrames(FLOOD);
    const reused = replayCpu(recorded, join(dir, 'replay.arrows'), { transient: true, repeat: 3 });
    const fresh = replayCpu(recorded, join(dir, 'replay.arrows'), { transient: false, repeat: 3 });
    report('CLI CPU per event, frames replayed', reused.usPerRow, 'µs', undefined, `${reused.rows} events; ${recorded.lost} lost while recording`);
    report('  the same, a new buffer per frame (baseline)', fresh.usPerRow, 'µs', undefined, `${(reused.usPerRow / fresh.usPerRow).toFixed(2)}× of it`);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
