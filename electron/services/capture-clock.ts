/**
 * Kernel records carry CLOCK_BOOTTIME ns (bpf_ktime_get_boot_ns); a trace stores the offset that
 * turns them into wall-clock time: REALTIME − BOOTTIME, sampled together.
 *
 * Node has no BOOTTIME clock. process.hrtime is CLOCK_MONOTONIC, which equals BOOTTIME except for
 * the time the machine spent suspended; /proc/uptime (BOOTTIME, 10 ms steps) gives that
 * difference. When it is below /proc/uptime's resolution the machine never slept and MONOTONIC
 * is used as BOOTTIME exactly; otherwise the sleep time is added, rounded to 10 ms.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const UPTIME_STEP_NS = 10_000_000n;

/** ns since the Unix epoch now, to the µs (performance's origin plus its monotonic clock). */
function realtimeNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/** BOOTTIME − MONOTONIC: time spent suspended since boot (0 when below /proc/uptime's resolution). */
export function suspendedNs(uptimeText = readFileSync('/proc/uptime', 'utf8'), monotonicNs = process.hrtime.bigint()): bigint {
  const seconds = /^(\d+)\.(\d{2})/.exec(uptimeText);
  if (!seconds) return 0n;
  const uptimeNs = BigInt(seconds[1]!) * 1_000_000_000n + BigInt(seconds[2]!) * UPTIME_STEP_NS;
  const diff = uptimeNs - monotonicNs;
  // /proc/uptime is truncated to 10 ms: a difference inside one step is no suspend at all.
  if (diff < 2n * UPTIME_STEP_NS) return 0n;
  return (diff / UPTIME_STEP_NS) * UPTIME_STEP_NS;
}

/** CLOCK_BOOTTIME now, in ns (the clock of every kernel record's ts_ns). */
export function bootTimeNs(): bigint {
  return process.hrtime.bigint() + suspendedNs();
}

/** REALTIME − BOOTTIME now: add to a record's ts_ns to get ns since the Unix epoch. */
export function wallOffsetNs(): bigint {
  const suspended = suspendedNs();
  const mono = process.hrtime.bigint();
  return realtimeNs() - (mono + suspended);
}
