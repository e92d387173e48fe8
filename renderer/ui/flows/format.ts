/** Text for the flow views: durations (ns in), byte counts, rates, endpoints. */
import type { Endpoint } from '../../engine/flows/types.js';

const INT = new Intl.NumberFormat('en-US');

/** A duration in ns as the unit that keeps 3–4 significant digits: 850 ns, 12.5 µs, 1.234 ms, 3.000 s. */
export function durationText(ns: number | null): string {
  if (ns === null || !Number.isFinite(ns)) return '–';
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(a < 1e4 ? 2 : 1)} µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

export function countText(n: number): string {
  return INT.format(n);
}

/** Bytes with a binary unit past 10 KiB: 512 B, 12.3 KiB, 4.56 MiB. */
export function bytesText(n: number): string {
  if (n < 10240) return `${INT.format(n)} B`;
  if (n < 10485760) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(2)} MiB`;
}

/** addr:port, with brackets around IPv6 addresses. */
export function endpointText(e: Endpoint): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}
