import { CLASSES, EVENTS } from '../model/events.js';
import { FIELD_BY_KEY, type FieldDef } from '../model/fields.js';
import { serviceName } from '../names/ports.js';
import { denseValues, type Column, type ColumnValues } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';

/**
 * Sort keys of every global row for one field, as unsigned words: `lo`, plus `hi` for 64-bit keys.
 * Ascending key order is the field's order (numbers by value, text fields by text, addresses by
 * version then bytes), already inverted for a descending sort. `missing[row]` is 1 for rows with
 * no value: they come last in both directions. `null` means the field sorts in time order.
 */
export interface RowKeys {
  readonly lo: Uint32Array;
  readonly hi?: Uint32Array;
  readonly missing: Uint8Array;
}

/** In rank tables: the value shows nothing (an unnamed port, an address without DNS names). */
const MISSING = 0xffffffff;

export function rowSortKeys(store: EventStore, fieldKey: string, descending: boolean): RowKeys | null {
  const field = FIELD_BY_KEY.get(fieldKey);
  if (!field) throw new Error(`unknown field ${fieldKey}`);
  if (field.key === 'ts_ns' || field.key === 'time') return null;
  const ranks = rankTable(store, field);
  if (ranks) return rankedKeys(store, ranks, descending);
  if (field.storage === 'f64') return floatKeys(store, field.key, descending);
  return rankedKeys(store, { source: field.key }, descending);
}

/**
 * How a field's key comes from one stored column: the value itself, or `table[value]` (a rank of
 * the text shown for it; MISSING when it shows nothing). `byProto`: the table is indexed by
 * port + 65536 for UDP, and only TCP and UDP rows have a value (IANA service names).
 */
interface KeySource {
  readonly source: string;
  readonly table?: Uint32Array;
  readonly byProto?: boolean;
}

function rankTable(store: EventStore, field: FieldDef): KeySource | undefined {
  switch (field.key) {
    case 'event':
      return { source: 'event', table: rankOf(EVENTS.map((e) => e.id)) };
    case 'class': {
      const classRank = rankOf(CLASSES);
      return { source: 'event', table: Uint32Array.from(EVENTS, (e) => classRank[CLASSES.indexOf(e.class)]!) };
    }
    case 'priority':
      return { source: 'event', table: Uint32Array.from(EVENTS, (e) => e.priority) };
    case 'sport_name':
    case 'dport_name':
      return { source: field.key === 'sport_name' ? 'sport' : 'dport', table: serviceNameRanks(), byProto: true };
    case 'saddr_names':
    case 'daddr_names': {
      const texts = Array.from({ length: store.dicts.addrs.size }, (_, id) => store.dns.namesOf(id).join(', '));
      const table = rankOf(texts);
      texts.forEach((t, id) => {
        if (t === '') table[id] = MISSING;
      });
      return { source: field.key === 'saddr_names' ? 'saddr' : 'daddr', table };
    }
  }
  if (field.storage === 'str') return { source: field.key, table: rankOf(store.dicts.strings(field.key).all()) };
  if (field.storage === 'addr') return { source: field.key, table: addressRanks(store) };
  return undefined;
}

function rankedKeys(store: EventStore, { source, table, byProto }: KeySource, descending: boolean): RowKeys {
  const lo = new Uint32Array(store.rowCount);
  const missing = new Uint8Array(store.rowCount).fill(1);
  let max = 0;
  forEachBatch(store, source, (col, values, first, batch) => {
    const proto = byProto ? store.batches[batch]!.columns.proto : undefined;
    const protos = proto && denseValues(proto, values.length);
    for (let i = 0; i < values.length; i++) {
      if (!has(col, i)) continue;
      const v = values[i]!;
      let k: number;
      if (byProto) {
        const p = protos ? protos[i]! : 0;
        k = p === 6 ? table![v]! : p === 17 ? table![65536 + v]! : MISSING;
      } else {
        k = table ? (table[v] ?? MISSING) : v;
      }
      if (table && k === MISSING) continue;
      missing[first + i] = 0;
      lo[first + i] = k;
      if (k > max) max = k;
    }
  });
  // Descending: max − key keeps keys as small as they were, so the radix sort needs no more passes.
  if (descending) for (let r = 0; r < lo.length; r++) lo[r] = max - lo[r]!;
  return { lo, missing };
}

function has(col: Column, i: number): boolean {
  return col.valid === null || (col.valid[i >>> 3]! & (1 << (i & 7))) !== 0;
}

/** Float64 keys: one word when every value is an integer in [0, 2^32) (latencies, ids), two otherwise. */
function floatKeys(store: EventStore, key: string, descending: boolean): RowKeys {
  let narrow = true;
  forEachBatch(store, key, (col, values) => {
    if (!narrow) return;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (has(col, i) && !(v >= 0 && v < 2 ** 32 && Number.isInteger(v))) {
        narrow = false;
        return;
      }
    }
  });
  if (narrow) return rankedKeys(store, { source: key }, descending);
  const lo = new Uint32Array(store.rowCount);
  const hi = new Uint32Array(store.rowCount);
  const missing = new Uint8Array(store.rowCount).fill(1);
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  forEachBatch(store, key, (col, values, first) => {
    for (let i = 0; i < values.length; i++) {
      if (!has(col, i)) continue;
      f[0] = values[i]!;
      // IEEE-754 to an unsigned order: negatives flip every bit, positives flip the sign bit.
      const negative = (w[1]! & 0x80000000) !== 0;
      const h = negative ? ~w[1]! >>> 0 : (w[1]! | 0x80000000) >>> 0;
      const l = negative ? ~w[0]! >>> 0 : w[0]!;
      missing[first + i] = 0;
      hi[first + i] = descending ? ~h >>> 0 : h;
      lo[first + i] = descending ? ~l >>> 0 : l;
    }
  });
  return { lo, hi, missing };
}

/** Calls `fn` for each batch that has a value of `key` in some row, with one value per row (0 where none). */
function forEachBatch(store: EventStore, key: string, fn: (col: Column, values: ColumnValues, firstRow: number, batch: number) => void): void {
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    const col = batch.columns[key];
    if (col) fn(col, denseValues(col, batch.length), store.batchStart[b]!, b);
  }
}

/** Rank of each text (0 = first in code-point order); equal texts share a rank. */
function rankOf(texts: readonly string[]): Uint32Array {
  const ids = Array.from(texts.keys()).sort((a, b) => (texts[a]! < texts[b]! ? -1 : texts[a]! > texts[b]! ? 1 : 0));
  const ranks = new Uint32Array(texts.length);
  let rank = 0;
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && texts[ids[i]!] !== texts[ids[i - 1]!]) rank++;
    ranks[ids[i]!] = rank;
  }
  return ranks;
}

/** Rank of each address id: IPv4 before IPv6, then by bytes. */
function addressRanks(store: EventStore): Uint32Array {
  const addrs = store.dicts.addrs;
  const ids = Array.from({ length: addrs.size }, (_, i) => i);
  ids.sort((a, b) => {
    const d = addrs.version(a) - addrs.version(b);
    if (d !== 0) return d;
    const x = addrs.bytesOf(a);
    const y = addrs.bytesOf(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
  const ranks = new Uint32Array(addrs.size);
  ids.forEach((id, rank) => (ranks[id] = rank));
  return ranks;
}

let serviceRanks: Uint32Array | undefined;

/** Rank of the IANA name of each port (TCP at `port`, UDP at 65536 + port); MISSING when unnamed. IANA data is static: made once. */
function serviceNameRanks(): Uint32Array {
  if (serviceRanks) return serviceRanks;
  const names: string[] = [];
  for (let p = 0; p < 65536; p++) names.push(serviceName(p, 6));
  for (let p = 0; p < 65536; p++) names.push(serviceName(p, 17));
  const ranks = rankOf(names);
  names.forEach((n, i) => {
    if (n === '') ranks[i] = MISSING;
  });
  serviceRanks = ranks;
  return ranks;
}
