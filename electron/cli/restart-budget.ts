/**
 * How often the CLI restarts a capture helper that died: every time, unless it has died `max`
 * times within `windowMs` — a helper that keeps dying (a kernel refusing it, a watchdog killing
 * it) would otherwise be restarted forever, each death one more gap in the trace.
 */
export class RestartBudget {
  private readonly deaths: number[] = [];

  constructor(
    readonly max = 5,
    readonly windowMs = 60_000,
  ) {}

  /** Records a death at `nowMs`; true when the helper may be restarted once more. */
  allow(nowMs: number): boolean {
    this.deaths.push(nowMs);
    while (this.deaths.length > 0 && nowMs - this.deaths[0]! >= this.windowMs) this.deaths.shift();
    return this.deaths.length < this.max;
  }
}
