/** Absolute ns (bigint) → ISO-8601 UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z. */
export function isoMicros(epochNs: bigint): string {
  const ms = epochNs / 1_000_000n;
  const micros = ((epochNs % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n / 1000n;
  const base = new Date(Number(ms) - (epochNs < 0n && epochNs % 1_000_000n !== 0n ? 1 : 0)).toISOString(); // …SS.mmmZ
  return `${base.slice(0, 19)}.${micros.toString().padStart(6, '0')}Z`;
}
