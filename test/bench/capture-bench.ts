/**
 * Capture figures (root only), from this run on this machine (medians of alternating rounds):
 * iperf3 loopback throughput with no capture, with WireView capturing core events at INFO, and
 * with tcpdump writing a file; events/s sustained helper → file and the loss; the slowdown the
 * capture causes to a UDP generator running flat out, and the one tcpdump writing a file causes to
 * it; CPU seconds per million events. Ratios compare runs of this same command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, during, eventsIn, FLOOD, iperfBits, SECONDS, sleep, udpFlood } from './capture-process.js';
import { IPERF, recordFrames, replayCpu } from './capture-replay.js';
import { median, report } from './measure.js';

/** Rounds of each live measurement (no capture, WireView, tcpdump, alternating); medians are reported. */
const ROUNDS = 3;

const mid = (xs: readonly number[]): number => median([...xs].sort((a, b) => a - b));

const gbits = (xs: readonly number[]): string => xs.map((x) => (x / 1e9).toFixed(1)).join(', ');

/** Per-round ratios, for the notes. */
const perRound = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(', ');

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

    // Alternating rounds (none, WireView, tcpdump), medians: one run of each swings by several
    // percent on a shared machine, as much as the difference being measured.
    const tdArgs = (out: string): string[] => ['tcpdump', '-i', 'lo', '-w', out, '-s', '96'];
    const tdReady = /listening on/;
    // The floor: the same programs and helper with the records thrown away as they arrive (no CLI).
    // What it costs no work in the CLI can remove.
    const floor = [process.execPath, fileURLToPath(new URL('./helper-discard.js', import.meta.url))];
    const floorReady = /^ready$/m;
    const base: number[] = [];
    const withWv: number[] = [];
    const withFloor: number[] = [];
    const withTd: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      base.push(iperfBits(port));
      withWv.push((await during(wv(join(dir, 'iperf.arrows')), wvReady, () => iperfBits(port))).result);
      withFloor.push((await during(floor, floorReady, () => iperfBits(port))).result);
      withTd.push((await during(tdArgs(join(dir, 'iperf.pcap')), tdReady, () => iperfBits(port))).result);
    }
    const kept = (xs: number[]): string => `${((mid(xs) / mid(base)) * 100).toFixed(1)}% of no capture`;
    report('iperf3 loopback, no capture', mid(base) / 1e9, 'Gbit/s', undefined, `median of ${gbits(base)}`);
    report('iperf3 with WireView (core, INFO)', mid(withWv) / 1e9, 'Gbit/s', undefined, `${kept(withWv)}; ${gbits(withWv)}`);
    report('iperf3 with tcpdump -s 96 -w', mid(withTd) / 1e9, 'Gbit/s', undefined, `${kept(withTd)}; ${gbits(withTd)}`);
    const ratios = withWv.map((w, r) => w / withTd[r]!);
    report('throughput kept: WireView / tcpdump', mid(ratios), '×', { op: '>=', value: 1 }, `median of the rounds' ${perRound(ratios)}`);
    const floorRatios = withFloor.map((w, r) => w / withTd[r]!);
    report('  floor: BPF + helper, records discarded', mid(withFloor) / 1e9, 'Gbit/s', undefined, `${kept(withFloor)}; / tcpdump ${mid(floorRatios).toFixed(2)}× (rounds ${perRound(floorRatios)})`);

    const flood: number[] = [];
    const floodWv: number[] = [];
    const floodTd: number[] = [];
    const floodFloor: number[] = [];
    let events = 0;
    let lost = 0;
    let workCpu = 0;
    let startupCpu = 0;
    for (let r = 0; r < ROUNDS; r++) {
      flood.push(udpFlood());
      const file = join(dir, `flood-${r}.arrows`);
      const captured = await during(wv(file), wvReady, () => udpFlood());
      floodWv.push(captured.result);
      const written = eventsIn(file);
      events += written.events;
      lost += written.lost;
      workCpu += captured.workCpu;
      startupCpu += captured.startupCpu / ROUNDS;
      rmSync(file, { force: true });
      floodFloor.push((await during(floor, floorReady, () => udpFlood())).result);
      // The standard tool on the same traffic, for scale: the target is WireView's own, the ratio shows where it stands.
      floodTd.push((await during(tdArgs(join(dir, 'flood.pcap')), tdReady, () => udpFlood())).result);
    }
    const slowdown = (xs: number[]): number => (1 - mid(xs) / mid(flood)) * 100;
    const rates = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(0)).join(', ') + 'k';
    report('UDP generator flat out, no capture', mid(flood), 'dgram/s', undefined, `median of ${rates(flood)}`);
    report('UDP generator while WireView captures', mid(floodWv), 'dgram/s', undefined, rates(floodWv));
    report('slowdown of the generator', slowdown(floodWv), '%', { op: '<=', value: 20 });
    report('  floor: BPF + helper, records discarded', slowdown(floodFloor), '%', undefined, `slowdown; ${rates(floodFloor)}`);
    report('UDP generator while tcpdump -s 96 -w captures', mid(floodTd), 'dgram/s', undefined, `slowdown ${slowdown(floodTd).toFixed(1)}%; ${rates(floodTd)}`);
    const floodRatios = floodWv.map((w, r) => w / floodTd[r]!);
    report('generator rate kept: WireView / tcpdump', mid(floodRatios), '×', undefined, `rounds ${perRound(floodRatios)}`);
    report('events written helper → file', events / ROUNDS, 'events', undefined, `per run; lost ${lost} in ${ROUNDS} runs`);
    report('events/s sustained (over the flood)', events / ROUNDS / SECONDS, 'ev/s', undefined, lost === 0 ? 'zero loss' : `LOSS ${lost}`);
    report('CPU seconds per million events (helper+CLI)', (workCpu / events) * 1e6, 's/M', undefined, 'over the flood only');
    report('start-up CPU (helper+CLI, BPF load, attach)', startupCpu, 's', undefined, 'per capture, not per event');

    // The CLI alone, in CPU time: the flood's frames replayed, with the reused frame buffers and without (the baseline).
    const recorded = await recordFrames(FLOOD);
    const reused = replayCpu(recorded, join(dir, 'replay.arrows'), { transient: true, repeat: 3 });
    const fresh = replayCpu(recorded, join(dir, 'replay.arrows'), { transient: false, repeat: 3 });
    report('CLI CPU per event, frames replayed', reused.usPerRow, 'µs', undefined, `${reused.rows} events; ${recorded.lost} lost while recording`);
    report('  the same, a new 64 KiB buffer per read (baseline)', fresh.usPerRow, 'µs', undefined, `${(reused.usPerRow / fresh.usPerRow).toFixed(2)}× of it`);
    // iperf3's events are almost all pkt.tcp (twice the flood's columns per event, seq/ack/timestamps hard to compress).
    const tcp = replayCpu(await recordFrames(IPERF), join(dir, 'replay.arrows'), { transient: true, repeat: 3 });
    report('CLI CPU per event, iperf3 frames replayed', tcp.usPerRow, 'µs', undefined, `${tcp.rows} events; ${(tcp.usPerRow / reused.usPerRow).toFixed(2)}× the flood's`);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
