import { MSG_FLAGS } from '../../model/enums.js';

/**
 * The seed tool's network CSV (shared seeds, "Network Events"): 14 columns, one socket send or
 * receive per line. Import and export share these definitions so the round trip is byte-exact.
 */
export const CSV_COLUMNS = [
  'Timestamp',
  'PID',
  'Command',
  'Protocol',
  'IP Version',
  'Source Address',
  'Destination Address',
  'Source Port',
  'Destination Port',
  'Size',
  'Direction',
  'Latency',
  'Error',
  'MSG Flags',
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(',');

/** Column indexes, by name, for readable parser code. */
export const Col = {
  ts: 0,
  pid: 1,
  comm: 2,
  proto: 3,
  ipver: 4,
  saddr: 5,
  daddr: 6,
  sport: 7,
  dport: 8,
  size: 9,
  direction: 10,
  latency: 11,
  error: 12,
  flags: 13,
} as const;

/**
 * MSG_* flags in the order the seed lists them (its table order), which is the order its lines
 * join them in; flags the seed does not list follow in bit order. Names are Linux's; values too
 * (the seed's hex column is off for several flags, the names are what the files carry).
 */
const SEED_FLAG_ORDER = ['MSG_OOB', 'MSG_PEEK', 'MSG_DONTROUTE', 'MSG_DONTWAIT', 'MSG_NOSIGNAL', 'MSG_WAITALL', 'MSG_MORE', 'MSG_ZEROCOPY'];
export const CSV_MSG_FLAGS: ReadonlyArray<readonly [number, string]> = [
  ...SEED_FLAG_ORDER.map((name) => MSG_FLAGS.find(([, n]) => n === name)!),
  ...MSG_FLAGS.filter(([, n]) => !SEED_FLAG_ORDER.includes(n)),
];

/** How the file was laid out where the CSV itself allows a choice; kept in meta.extra.csv. */
export interface CsvLayout {
  eol: '\n' | '\r\n';
  finalEol: boolean;
}

export function csvLayoutOf(extra: Record<string, unknown>): CsvLayout {
  const v = extra.csv as { eol?: unknown; final_eol?: unknown } | undefined;
  return { eol: v?.eol === '\r\n' ? '\r\n' : '\n', finalEol: v?.final_eol !== false };
}
