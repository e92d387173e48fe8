#!/usr/bin/env node
/**
 * What the capture's hooks cost before WireView records anything in them, against tcpdump:
 * `npm run bench:floors` as root (`-- --rounds N`, 3 by default). It builds the capture addon
 * twice more, in a scratch copy of bpf/ and native/, with the floors of bpf/bench_floor.bpf.h:
 *   hooks   the busy handlers (send/recv, their syscalls, packets, drops, socket memory) return at once;
 *   header  they record a bare timestamped header and nothing else.
 * Then alternating rounds run the UDP flood, iperf3 and capture-sendloop with nothing, with the
 * helper of each build (the shipped one as "full") capturing core events at INFO with its records
 * read and thrown away (helper-discard), and with tcpdump -i lo -s 96 -w. Each figure is against
 * the bare run of its own round. About 2 minutes of building, then ~1 minute a round.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';
import { buildSendLoop, during, iperfBits, sendLoop, sleep, udpFloodDetail } from './capture-process.js';
import { median, report } from './measure.js';

interface Sample {
  /** Datagrams/s of the flood generator. */
  flood: number;
  /** Bits/s of iperf3. */
  iperf: number;
  /** Thread CPU ns per send of capture-sendloop. */
  loop: number;
}

/** An arm of the rounds: how to start it (undefined: nothing runs) and the line that says it is ready. */
interface Arm {
  name: string;
  argv?: string[];
  ready?: RegExp;
}

function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${what} failed:\n${(r.stderr || r.stdout).slice(-2000)}`);
}

/**
 * A copy of what the helper needs (the compiled code, package.json for the module type) and what
 * builds the addon (bpf/, native/, build-native.mjs, node_modules linked), built with `floor`.
 */
function buildFloor(scratch: string, floor: number): string {
  const root = join(scratch, `floor-${floor}`);
  mkdirSync(join(root, 'native'), { recursive: true });
  cpSync(join(repoRoot, 'bpf'), join(root, 'bpf'), { recursive: true, filter: (src) => !src.includes('.output') });
  cpSync(join(repoRoot, 'native', 'src'), join(root, 'native', 'src'), { recursive: true });
  cpSync(join(repoRoot, 'native', 'binding.gyp'), join(root, 'native', 'binding.gyp'));
  cpSync(join(repoRoot, 'build', 'build-native.mjs'), join(root, 'build', 'build-native.mjs'));
  cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
  cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  run('make', ['-s', '-C', join(root, 'bpf'), 'programs', `EXTRA_CFLAGS=-DWV_BENCH_FLOOR=${floor}`], `make of floor ${floor}`);
  run(process.execPath, [join(root, 'build', 'build-native.mjs')], `addon build of floor ${floor}`);
  return join(root, 'dist', 'test', 'bench', 'helper-discard.js');
}

async function measure(arm: Arm, exe: string, port: number): Promise<Sample> {
  const work = (): Sample => ({ flood: udpFloodDetail().perSecond, iperf: iperfBits(port), loop: sendLoop(exe, 1)[0]! });
  return arm.argv ? (await during(arm.argv, arm.ready ?? null, work)).result : work();
}

export async function floorsBench(rounds: number): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('capture floors: skipped (needs root)');
    return;
  }
  for (const tool of ['iperf3', 'tcpdump', 'make', 'clang', 'cc']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
      console.log(`capture floors: skipped (${tool} is not installed)`);
      return;
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), 'wireview-floors-'));
  const port = 7201 + Math.floor(Math.random() * 1000);
  const server = spawn('iperf3', ['-s', '-p', String(port)], { stdio: 'ignore' });
  try {
    console.log('capture floors: building the addon with each floor…');
    const helperReady = /^ready$/m;
    const arms: Arm[] = [
      { name: 'nothing' },
      { name: 'full', argv: [process.execPath, join(repoRoot, 'dist', 'test', 'bench', 'helper-discard.js')], ready: helperReady },
      { name: 'header', argv: [process.execPath, buildFloor(scratch, 2)], ready: helperReady },
      { name: 'hooks', argv: [process.execPath, buildFloor(scratch, 1)], ready: helperReady },
      { name: 'tcpdump', argv: ['tcpdump', '-i', 'lo', '-s', '96', '-w', join(scratch, 'floors.pcap')], ready: /listening on/ },
    ];
    const exe = buildSendLoop(scratch);
    if (!exe) throw new Error('capture-sendloop did not compile');
    await sleep(300);
    const samples = new Map<string, Sample[]>(arms.map((a) => [a.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (const arm of arms) samples.get(arm.name)!.push(await measure(arm, exe, port));
    }
    const base = samples.get('nothing')!;
    const td = samples.get('tcpdump')!;
    const mid = (xs: number[]): number => median([...xs].sort((a, b) => a - b));
    const each = (xs: number[], digits: number): string => `rounds ${xs.map((x) => x.toFixed(digits)).join(', ')}`;
    console.log(`capture floors: ${rounds} alternating rounds, each arm against the bare run of its round`);
    for (const arm of arms.slice(1)) {
      const s = samples.get(arm.name)!;
      const slowdown = s.map((x, i) => (1 - x.flood / base[i]!.flood) * 100);
      const kept = s.map((x, i) => (x.iperf / base[i]!.iperf) * 100);
      const perSend = s.map((x, i) => x.loop - base[i]!.loop);
      const label = arm.name === 'tcpdump' ? 'tcpdump -s 96 -w' : `helper, ${arm.name}`;
      report(`${label}: UDP generator slowdown`, mid(slowdown), '%', undefined, each(slowdown, 1));
      report(`${label}: iperf3 throughput kept`, mid(kept), '%', undefined, `${each(kept, 1)}; / tcpdump ${mid(s.map((x, i) => x.iperf / td[i]!.iperf)).toFixed(2)}×`);
      report(`${label}: sendloop thread CPU added`, mid(perSend), 'ns/send', undefined, each(perSend, 0));
    }
  } finally {
    server.kill();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const roundsAt = process.argv.indexOf('--rounds');
await floorsBench(roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 3);
