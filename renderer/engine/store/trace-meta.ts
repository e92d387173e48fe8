/** What a trace says about itself besides its events: origin, clock, capture settings, loss. */
export interface TraceMeta {
  /** Each input the events came from: kind (`wireview`, `pcap`, `pcapng`, `csv`, `capture`) and name. */
  sources: { kind: string; name: string }[];
  /** Add to `ts_ns` to get ns since the Unix epoch (0 when ts_ns is already wall-clock). */
  wallOffsetNs: bigint;
  /** Records the capture reported lost (sum of capture.lost). */
  lost: number;
  /** Set when the input ended inside a record: what was kept and what was lost. */
  truncated?: { atByte: number; message: string };
  host?: string;
  kernel?: string;
  /** Capture settings, kernel sources used, WireView version: free-form, kept as JSON. */
  extra: Record<string, unknown>;
}

export function emptyMeta(): TraceMeta {
  return { sources: [], wallOffsetNs: 0n, lost: 0, extra: {} };
}
