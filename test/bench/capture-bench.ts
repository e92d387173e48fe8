/**
 * Capture figures (root only), from one run on this machine: iperf3 loopback throughput with no
 * capture, with WireView capturing core events at INFO, and with tcpdump writing a file; events/s
 * sustained helper → file and the loss; the slowdown the capture causes to a UDP generator running
 * flat out, and the one tcpdump writing a file causes to it; CPU seconds per million events. Ratios compare runs of this same command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, during, eventsIn, FLOOD, SECONDS, sleep, udpFlood } from './capture-process.js';
import { IPERF, recordFrames, replayCpu } from './capture-replay.js';
import { report } from './measure.js';

/** iperf3 TCP on loopback for `SECONDS`: bits/s received. */
function iperf(port: number): number {
  const r = spawnSync('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', String(SECONDS), '-J'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`iperf3 failed: ${r.stderr || r.stdout.slice(0, 200)}`);
  const json = JSON.parse(r.stdout) as { end: { sum_received: { bits_per_second: number } } };
  return json.end.sum_received.bits_per_second;
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
    // The standard tool on the same traffic, for scale: the target is WireView's own, the ratio shows where it stands.
    const withTdFlood = await during(['tcpdump', '-i', 'lo', '-w', join(dir, 'flood.pcap'), '-s', '96'], /listening on/, () => udpFlood());
    const tdSlowdown = (1 - withTdFlood.result / flood) * 100;
    report('UDP generator while tcpdump -s 96 -w captures', withTdFlood.result, 'dgram/s', undefined, `slowdown ${tdSlowdown.toFixed(1)}%`);
    report('generator rate kept: WireView / tcpdump', captured.result / withTdFlood.result, '×', undefined, `slowdown ${slowdown.toFixed(1)}% against ${tdSlowdown.toFixed(1)}%`);
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
    report('  the same, a new 64 KiB buffer per read (baseline)', fresh.usPerRow, 'µs', undefined, `${(reused.usPerRow / fresh.usPerRow).toFixed(2)}× of it`);
    // iperf3's events are almost all pkt.tcp (twice the flood's columns per event, seq/ack/timestamps hard to compress).
    const tcp = replayCpu(await recordFrames(IPERF), join(dir, 'replay.arrows'), { transient: true, repeat: 3 });
    report('CLI CPU per event, iperf3 frames replayed', tcp.usPerRow, 'µs', undefined, `${tcp.rows} events; ${(tcp.usPerRow / reused.usPerRow).toFixed(2)}× the flood's`);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
