/**
 * The decoder's view of the record ABI, taken from the generated layout only: member offsets
 * checked against the widths the decoder reads them with, and the wire event numbers mapped to
 * catalog indexes. Everything here runs once at module load and throws on a mismatch, so a
 * records.h change the decoder does not follow fails every test instead of decoding garbage.
 */
import { Dir } from '../model/enums.js';
import { EVENTS, EVENT_INDEX } from '../model/events.js';
import { ENUMS, STRUCTS, type StructLayout } from './layout.gen.js';

export type StructName = keyof typeof STRUCTS;

/**
 * Offsets of `struct`'s members named in `widths`, after checking that each exists with exactly
 * that size in bytes; `SIZE` is the struct's size. A reader that uses `getUint32` at the offset
 * of a member declares width 4 for it here.
 */
export function offsetsOf<K extends string>(struct: StructName, widths: Readonly<Record<K, number>>): Readonly<Record<K | 'SIZE', number>> {
  const layout = (STRUCTS as Readonly<Record<string, StructLayout | undefined>>)[struct];
  if (!layout) throw new Error(`records ABI: struct ${struct} is not in layout.gen.ts`);
  const members = layout.members;
  const entries: [string, number][] = [['SIZE', layout.size]];
  for (const [name, width] of Object.entries<number>(widths)) {
    const m = members[name];
    if (!m) throw new Error(`records ABI: ${struct}.${name} is not in layout.gen.ts`);
    if (m.size !== width) throw new Error(`records ABI: ${struct}.${name} is ${m.size} bytes, the decoder reads ${width}`);
    entries.push([name, m.offset]);
  }
  // Object.fromEntries keeps fast properties, which the decoders' `PKT.tcp_seq` loads fold into
  // constants; an object filled by `out[name] = …` turns into a dictionary past a dozen members
  // (wv_rec_packet's 23), and every such load was a hash lookup per record.
  return Object.fromEntries(entries) as Record<K | 'SIZE', number>;
}

export const ABI = ENUMS.wv_abi;
export const KIND = ENUMS.wv_record_kind;
export const HAS = ENUMS.wv_has;
export const HDR_FLAG = ENUMS.wv_hdr_flag;
export const WIRE_DIR = ENUMS.wv_direction;
export const ROUTE_CHANGE_KIND = ENUMS.wv_route_change;
for (const [name, n] of Object.entries(Dir)) {
  const wire = (WIRE_DIR as Readonly<Record<string, number>>)[`WV_DIR_${name.toUpperCase()}`];
  if (wire !== undefined && wire !== n) throw new Error(`records ABI: WV_DIR_${name.toUpperCase()} is ${wire}, the engine's ${name} is ${n}`);
}

/** `WV_EV_SOCK_SEND_ERROR` → `sock.send_error`: the family is the first word. */
export function catalogIdOfEnumName(name: string): string {
  const rest = name.replace(/^WV_EV_/, '').toLowerCase();
  const cut = rest.indexOf('_');
  return cut < 0 ? rest : `${rest.slice(0, cut)}.${rest.slice(cut + 1)}`;
}

function buildEventTable(): Int16Array {
  const entries = Object.entries<number>(ENUMS.wv_event).filter(([name]) => name !== 'WV_EV_NONE');
  const max = Math.max(...entries.map(([, v]) => v));
  const table = new Int16Array(max + 1).fill(-1);
  for (const [name, wire] of entries) {
    const index = EVENT_INDEX.get(catalogIdOfEnumName(name));
    if (index === undefined) throw new Error(`records ABI: ${name} has no catalog event ${catalogIdOfEnumName(name)}`);
    table[wire] = index;
  }
  if (entries.length !== EVENTS.length) throw new Error(`records ABI: enum wv_event has ${entries.length} events, the catalog ${EVENTS.length}`);
  return table;
}

/** Catalog index of each wire event number (`enum wv_event`); −1 for numbers the catalog lacks. */
export const EVENT_OF_WIRE: Int16Array = buildEventTable();
