/** Small timing helpers for the benchmarks: best-of-N wall time and a table printer. */
import { performance } from 'node:perf_hooks';

/** Runs `fn` `runs` times (after one warm-up) and returns the times in ms, sorted. */
export function timeRuns(runs: number, fn: () => void): number[] {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

export function median(sorted: readonly number[]): number {
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** One result line: name, figure with unit, target, verdict, and a ratio against a baseline when given. */
export function report(name: string, value: number, unit: string, target?: { op: '<=' | '>='; value: number }, note = ''): void {
  const ok = target === undefined ? '' : (target.op === '<=' ? value <= target.value : value >= target.value) ? 'ok ' : 'MISS';
  const t = target === undefined ? '' : `target ${target.op} ${target.value} ${unit}`;
  console.log(`${ok.padEnd(4)} ${name.padEnd(46)} ${fmt(value).padStart(12)} ${unit.padEnd(10)} ${t.padEnd(24)} ${note}`);
}

export function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1000) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
