/**
 * Where a capture's cost goes, per datagram of the UDP flood (or per second of iperf3): `node
 * dist/test/bench/capture-cost.js [flood|iperf|sendloop]… [--runs N] [--capture "MORE CAPTURE OPTIONS"]`
 * as root. `sendloop` (capture-sendloop.c) gives the ns a capture adds to each send on the sending
 * thread, the steadiest figure on a shared machine. With kernel.bpf_stats_enabled
 * on, each BPF program of the capture (those on the first `wv_events` map of rings created after the capture
 * began) reports its run count and run time; /proc gives the CPU of the CLI and of the
 * helper; `wireview info` the events written by id. Figures are per datagram sent (flood) or per
 * second (iperf). bpf_stats costs a little itself (two clock reads per run): the run times include it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, buildSendLoop, during, iperfBits, SECONDS, sendLoop, sleep, udpFloodDetail } from './capture-process.js';

interface ProgStat {
  id: number;
  name: string;
  runCnt: number;
  runTimeNs: number;
  mapIds: number[];
}

function bpftool<T>(args: string[]): T {
  const r = spawnSync('bpftool', ['-j', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`bpftool ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function progs(): ProgStat[] {
  const raw = bpftool<{ id: number; name?: string; run_cnt?: number; run_time_ns?: number; map_ids?: number[] }[]>(['prog', 'show']);
  return raw.map((p) => ({ id: p.id, name: p.name ?? `#${p.id}`, runCnt: p.run_cnt ?? 0, runTimeNs: p.run_time_ns ?? 0, mapIds: p.map_ids ?? [] }));
}

/**
 * The capture's programs: those using the first `wv_events` map (its rings, one per CPU) created after `sinceMapId` (just
 * before the capture started), and
 * those sharing a map with them (the syscall entries, which only write wv_tasks).
 */
function captureProgs(sinceMapId: number): Map<number, ProgStat> {
  const rings = bpftool<{ id: number; name?: string }[]>(['map', 'show']).filter((m) => m.name === 'wv_events' && m.id > sinceMapId);
  if (rings.length === 0) throw new Error('no wv_events map found: did the capture start?');
  if (rings.length > 1) console.log(`  note: ${rings.length - 1} other captures started meanwhile; the first one is measured`);
  const ring = Math.min(...rings.map((m) => m.id));
  const all = progs();
  const maps = new Set(all.filter((p) => p.mapIds.includes(ring)).flatMap((p) => p.mapIds));
  return new Map(all.filter((p) => p.mapIds.some((id) => maps.has(id))).map((p) => [p.id, p]));
}

function maxMapId(): number {
  return Math.max(0, ...bpftool<{ id: number }[]>(['map', 'show']).map((m) => m.id));
}

function byEvent(file: string): Record<string, number> {
  const r = spawnSync(process.execPath, [bin, 'info', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`info failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { by_event: Record<string, number> }).by_event;
}

/**
 * The sending thread's own cost: capture-sendloop without a capture, then while capturing, 3
 * runs each. The difference is what the BPF programs (and their dispatch) add to every send and
 * its share of receives and drops.
 */
async function sendLoopCost(exe: string, dir: string, extra: readonly string[]): Promise<void> {
  const bare = sendLoop(exe);
  const m = await during([process.execPath, bin, 'capture', '-o', join(dir, 'sendloop.arrows'), '--classes', 'core', '--priority', 'INFO', ...extra], /capturing to /, () => sendLoop(exe));
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\n## sendloop: ${bare.join(' ')} ns/send without capture, ${m.result.join(' ')} while capturing: +${mid(m.result) - mid(bare)} ns/send (medians)`);
}

const pad = (s: string, n: number): string => s.padEnd(n);
const num = (n: number, digits = 0): string => n.toFixed(digits).padStart(10);

async function measure(workload: 'flood' | 'iperf', dir: string, port: number, extra: readonly string[]): Promise<void> {
  const out = join(dir, `${workload}.arrows`);
  const bare = workload === 'flood' ? udpFloodDetail() : undefined;
  const sinceMap = maxMapId();
  const old = readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim();
  writeFileSync('/proc/sys/kernel/bpf_stats_enabled', '1');
  try {
    const m = await during([process.execPath, bin, 'capture', '-o', out, '--classes', 'core', '--priority', 'INFO', ...extra], /capturing to /, () => {
      const before = captureProgs(sinceMap);
      const work = workload === 'flood' ? udpFloodDetail() : { perSecond: iperfBits(port), received: 0, cpuSeconds: 0 };
      const after = captureProgs(sinceMap);
      return { work, before, after };
    });
    const { work, before, after } = m.result;
    // per datagram sent, or per second of iperf
    const units = workload === 'flood' ? work.perSecond * SECONDS : SECONDS;
    const unit = workload === 'flood' ? 'datagram' : 's';
    console.log(`\n## ${workload}: ${workload === 'flood' ? `${work.perSecond.toFixed(0)} dgram/s sent, ${work.received} received, generator CPU ${((work.cpuSeconds / units) * 1e6).toFixed(2)} µs/datagram` : `${(work.perSecond / 1e9).toFixed(2)} Gbit/s`}`);
    if (bare) {
      const cpu = (bare.cpuSeconds / (bare.perSecond * SECONDS)) * 1e6;
      console.log(`without capture: ${bare.perSecond.toFixed(0)} dgram/s, generator CPU ${cpu.toFixed(2)} µs/datagram; slowdown ${((1 - work.perSecond / bare.perSecond) * 100).toFixed(1)}%`);
    }
    console.log(`${pad('program', 28)}${'runs/' + unit}${' '.repeat(2)}${'ns/run'.padStart(10)}${('ns/' + unit).padStart(14)}`);
    let bpfNs = 0;
    const rows: [string, number, number, number][] = [];
    for (const [id, a] of after) {
      const b = before.get(id);
      const runs = a.runCnt - (b?.runCnt ?? 0);
      const ns = a.runTimeNs - (b?.runTimeNs ?? 0);
      if (runs === 0) continue;
      bpfNs += ns;
      rows.push([a.name, runs / units, ns / runs, ns / units]);
    }
    rows.sort((x, y) => y[3] - x[3]);
    for (const [name, runs, perRun, perUnit] of rows) console.log(`${pad(name, 28)}${num(runs, 2)}  ${num(perRun)}${num(perUnit).padStart(14)}`);
    console.log(`${pad('BPF total', 28)}${' '.repeat(22)}${num(bpfNs / units).padStart(14)} ns/${unit}`);
    const [cli, ...helpers] = m.workCpuByPid;
    const helperCpu = helpers.reduce((s, h) => s + h.cpu, 0);
    const events = byEvent(out);
    const total = Object.values(events).reduce((s, n) => s + n, 0);
    const perEvent = (cpu: number): string => `${((cpu / total) * 1e9).toFixed(0)} ns/event`;
    console.log(`${pad('CLI CPU', 28)}${num(((cli?.cpu ?? 0) / units) * 1e9).padStart(36)} ns/${unit}  ${perEvent(cli?.cpu ?? 0)}`);
    console.log(`${pad('helper CPU', 28)}${num((helperCpu / units) * 1e9).padStart(36)} ns/${unit}  ${perEvent(helperCpu)}`);
    console.log(`events written: ${total} (${(total / units).toFixed(2)}/${unit}); CLI+helper ${perEvent(m.workCpu)}`);
    for (const [id, n] of Object.entries(events).sort((x, y) => y[1] - x[1])) console.log(`  ${pad(id, 26)}${num(n / units, 3)}/${unit}`);
  } finally {
    writeFileSync('/proc/sys/kernel/bpf_stats_enabled', old);
  }
}

const workloads = process.argv.slice(2).filter((a) => a === 'flood' || a === 'iperf' || a === 'sendloop') as ('flood' | 'iperf' | 'sendloop')[];
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 1;
/** `--capture ARGS`: more capture options (e.g. "--disable pkt.udp"), to see what one group of probes costs. */
const extraAt = process.argv.indexOf('--capture');
const extra = extraAt > 0 ? process.argv[extraAt + 1]!.split(' ').filter(Boolean) : [];
if (process.getuid?.() !== 0) {
  console.log('capture-cost needs root');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'wireview-capcost-'));
const port = 6201 + Math.floor(Math.random() * 1000);
const server = workloads.includes('iperf') ? spawn('iperf3', ['-s', '-p', String(port)], { stdio: 'ignore' }) : undefined;
try {
  await sleep(300);
  const exe = workloads.includes('sendloop') ? buildSendLoop(dir) : undefined;
  for (let r = 0; r < runs; r++) {
    for (const w of workloads.length ? workloads : (['flood'] as const)) {
      if (w !== 'sendloop') await measure(w, dir, port, extra);
      else if (exe) await sendLoopCost(exe, dir, extra);
      else console.log('sendloop skipped: no C compiler (cc)');
    }
  }
} finally {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
}
