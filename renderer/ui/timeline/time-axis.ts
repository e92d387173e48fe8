/**
 * Wall-clock ticks for a time window: steps of 1, 2 or 5 × 10^k ns, about one per `spacingPx`,
 * aligned to whole multiples of the step in epoch time, labelled down to the µs the step needs.
 */

export interface Tick {
  /** Relative ns of the tick. */
  readonly t: number;
  readonly label: string;
}

const STEPS_NS: readonly number[] = (() => {
  const out: number[] = [];
  for (let p = 1; p <= 1e15; p *= 10) out.push(p, 2 * p, 5 * p);
  return out;
})();

/** The smallest 1-2-5 step that keeps ticks at least `spacingPx` apart. */
export function tickStep(spanNs: number, widthPx: number, spacingPx = 110): number {
  const min = (spanNs / Math.max(1, widthPx)) * spacingPx;
  return STEPS_NS.find((s) => s >= min) ?? STEPS_NS[STEPS_NS.length - 1]!;
}

/**
 * Ticks in [t0, t1] (relative ns), where `epochOfZero` is the epoch ns of relative 0
 * (baseNs + wallOffsetNs). Labels are UTC `HH:MM:SS` plus the fraction digits the step needs
 * (at most 6: the axis reads to the µs).
 */
export function timeTicks(t0: number, t1: number, widthPx: number, epochOfZero: bigint): Tick[] {
  if (!(t1 > t0) || widthPx <= 0) return [];
  const step = tickStep(t1 - t0, widthPx);
  const stepBig = BigInt(step);
  const digits = Math.min(6, Math.max(0, 9 - Math.floor(Math.log10(step))));
  const start = epochOfZero + BigInt(Math.floor(t0));
  let tick = start - (((start % stepBig) + stepBig) % stepBig);
  if (tick < start) tick += stepBig;
  const out: Tick[] = [];
  for (let i = 0; i < 200; i++, tick += stepBig) {
    const t = Number(tick - epochOfZero);
    if (t > t1) break;
    out.push({ t, label: wallClock(tick, digits) });
  }
  return out;
}

/** Epoch ns → `HH:MM:SS[.f…]` in UTC with `digits` fraction digits (0…6, truncated). */
export function wallClock(epochNs: bigint, digits: number): string {
  const second = 1_000_000_000n;
  const day = 86_400n * second;
  const inDay = ((epochNs % day) + day) % day;
  const secs = Number(inDay / second);
  const hh = String(Math.floor(secs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
  const ss = String(secs % 60).padStart(2, '0');
  if (digits <= 0) return `${hh}:${mm}:${ss}`;
  const frac = (inDay % second).toString().padStart(9, '0').slice(0, digits);
  return `${hh}:${mm}:${ss}.${frac}`;
}
