import { flagNames, protoName } from '../../model/enums.js';
import { errnoName } from '../../model/errno.js';
import { eventIndex } from '../../model/events.js';
import { batchEvents, batchTimes, columnValue, hasValue, type Column } from '../../store/batch.js';
import type { Exporter } from '../importer.js';
import { CSV_HEADER, CSV_MSG_FLAGS, csvLayoutOf } from './csv-layout.js';

const SEND_EVENTS = new Set([eventIndex('sock.send'), eventIndex('sock.send_error')]);
const RECV_EVENTS = new Set([eventIndex('sock.recv'), eventIndex('sock.recv_error')]);
/** Bytes of text gathered before handing a chunk to the sink. */
const CHUNK_CHARS = 1 << 20;

/** Quotes a field only when it has to (comma, quote, line break), as RFC 4180 writers do. */
function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Formats absolute ns as the seed's `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), reusing the date per day. */
class SeedClock {
  private day = NaN;
  private dayText = '';
  private readonly baseSec: number;
  private readonly baseRem: number;

  constructor(baseNs: bigint) {
    const sec = baseNs / 1_000_000_000n;
    let rem = baseNs - sec * 1_000_000_000n;
    let s = Number(sec);
    if (rem < 0n) {
      rem += 1_000_000_000n;
      s -= 1;
    }
    this.baseSec = s;
    this.baseRem = Number(rem);
  }

  /** `relNs` since the base given to the constructor. */
  format(relNs: number): string {
    const x = this.baseRem + relNs;
    const carry = Math.floor(x / 1e9);
    const sec = this.baseSec + carry;
    const micros = Math.floor((x - carry * 1e9) / 1000);
    const day = Math.floor(sec / 86400);
    if (day !== this.day) {
      this.day = day;
      this.dayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
    }
    const t = sec - day * 86400;
    const h = Math.floor(t / 3600);
    const m = Math.floor((t % 3600) / 60);
    const s = t % 60;
    return `${this.dayText} ${two(h)}:${two(m)}:${two(s)}.${String(micros).padStart(6, '0')}`;
  }
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Writes socket send/receive events (sock.send, sock.recv and their _error forms) in the seed CSV
 * layout; other events have no line in that layout and are left out. Times are wall clock (ts_ns
 * plus the trace's wall-clock offset), UTC. Line endings follow the imported file when there was one.
 */
export const exportCsv: Exporter = (store, mask, sink, progress) => {
  const layout = csvLayoutOf(store.meta.extra);
  const encoder = new TextEncoder();
  const clock = new SeedClock((store.baseNs ?? 0n) + store.meta.wallOffsetNs);
  const lines: string[] = [CSV_HEADER];
  let chars = CSV_HEADER.length;
  let first = true;
  const flush = (last: boolean): void => {
    let text = lines.length > 0 ? (first ? '' : layout.eol) + lines.join(layout.eol) : '';
    if (last && layout.finalEol) text += layout.eol;
    first = false;
    lines.length = 0;
    chars = 0;
    if (text !== '') sink(encoder.encode(text));
  };
  for (let bi = 0; bi < store.batches.length; bi++) {
    const batch = store.batches[bi]!;
    const start = store.batchStart[bi]!;
    const c = batch.columns;
    const events = batchEvents(batch);
    const ts = batchTimes(batch);
    const strings = (key: string, col: Column | undefined, r: number): string =>
      hasValue(col, r) ? store.dicts.strings(key).get(columnValue(col!, r)) : '';
    const num = (col: Column | undefined, r: number): string => (hasValue(col, r) ? String(columnValue(col!, r)) : '');
    const addr = (col: Column | undefined, r: number): string => (hasValue(col, r) ? store.dicts.addrs.text(columnValue(col!, r)) : '');
    for (let r = 0; r < batch.length; r++) {
      if (mask && mask.bits[start + r] !== 1) continue;
      const ev = events[r]!;
      const isSend = SEND_EVENTS.has(ev);
      if (!isSend && !RECV_EVENTS.has(ev)) continue;
      const proto = hasValue(c.proto, r) ? protoName(columnValue(c.proto!, r)) : '';
      const line = [
        clock.format(ts[r]!),
        num(c.pid, r),
        quote(strings('comm', c.comm, r)),
        proto === 'other' ? String(columnValue(c.proto!, r)) : proto,
        num(c.ipver, r),
        addr(c.saddr, r),
        addr(c.daddr, r),
        num(c.sport, r),
        num(c.dport, r),
        num(c.size, r),
        isSend ? 'send' : 'receive',
        num(c.latency_ns, r),
        hasValue(c.errno, r) ? errnoName(columnValue(c.errno!, r)) : '',
        hasValue(c.msg_flags, r) ? flagNames(columnValue(c.msg_flags!, r), CSV_MSG_FLAGS).join('|') : '',
      ].join(',');
      lines.push(line);
      chars += line.length;
      if (chars >= CHUNK_CHARS) flush(false);
    }
    progress?.(start + batch.length, store.rowCount);
  }
  flush(true);
};
