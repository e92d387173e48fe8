/**
 * What kind of input a file is, from its first bytes, and an importer that waits for those bytes
 * before it makes the importer for that kind. No importer is imported here: formats/detect.ts
 * wires all of them in (Node, the CLI), formats/lazy-importers.ts loads the rarer ones on demand
 * (the engine worker).
 */
import { InputError } from '../errors.js';
import type { EventStore } from '../store/event-store.js';
import { CSV_HEADER } from './csv/csv-layout.js';
import type { Importer, InputKind } from './importer.js';

const PCAP_MAGICS = [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]; // µs, ns, Kuznetzov's modified pcap
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const ARROW_SCHEMA = 1; // MessageHeader.Schema

function u32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Arrow IPC stream: continuation marker, a sane metadata length, and a Schema message first. */
function isArrowStream(head: Uint8Array): boolean {
  if (head.length < 12 || u32le(head, 0) !== 0xffffffff) return false;
  const len = u32le(head, 4);
  if (len < 8 || len > 16 << 20) return false;
  // Flatbuffer root → Message table; its vtable's 2nd field (header_type) must say Schema.
  const root = 8 + u32le(head, 8);
  if (root + 4 > head.length) return true; // marker and length fit; the reader checks the rest
  const vtable = root - (u32le(head, root) | 0);
  if (vtable < 8 || vtable + 8 > head.length) return false;
  const slot = head[vtable + 6]! | (head[vtable + 7]! << 8);
  return slot !== 0 && root + slot < head.length && head[root + slot] === ARROW_SCHEMA;
}

function isSeedCsv(head: Uint8Array): boolean {
  if (head.length < CSV_HEADER.length) return false;
  for (let i = 0; i < CSV_HEADER.length; i++) if (head[i] !== CSV_HEADER.charCodeAt(i)) return false;
  const next = head[CSV_HEADER.length];
  return next === undefined || next === 0x0a || next === 0x0d;
}

/**
 * What kind of input `head` (the first bytes of a file; 64 KiB is plenty) starts, by content
 * alone; undefined when it is none WireView reads.
 */
export function detectInput(head: Uint8Array): InputKind | undefined {
  if (head.length >= 12 && u32be(head, 0) === PCAPNG_SHB) {
    const order = u32le(head, 8);
    if (order === PCAPNG_BYTE_ORDER || u32be(head, 8) === PCAPNG_BYTE_ORDER) return 'pcapng';
  }
  if (head.length >= 24) {
    const be = u32be(head, 0);
    const le = u32le(head, 0);
    if (PCAP_MAGICS.includes(be) || PCAP_MAGICS.includes(le)) return 'pcap';
  }
  if (isArrowStream(head)) return 'wireview';
  if (isSeedCsv(head)) return 'csv';
  return undefined;
}

/** Bytes `detectInput` needs to tell every kind apart (the seed CSV header is the longest signature). */
export const DETECT_BYTES = Math.max(64, CSV_HEADER.length + 1);

/** Makes the importer for one kind of input, appending to `store`; `name` is for messages. */
export type ImporterMaker = (kind: InputKind, store: EventStore, name: string) => Importer;

/**
 * An importer that recognises its input from the first bytes pushed (holding chunks back until
 * there are enough) and then hands everything to the importer `make` makes for that kind: for
 * callers that stream a file without knowing what it is (the engine worker). `name` ('' when not
 * known yet) starts its messages.
 */
export function createDetectingImporterWith(make: ImporterMaker, store: EventStore, name: string): Importer {
  let inner: Importer | undefined;
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  const start = (): Importer => {
    const head = new Uint8Array(heldBytes);
    let at = 0;
    for (const c of held) {
      head.set(c, at);
      at += c.length;
    }
    held = [];
    const kind = detectInput(head);
    if (kind === undefined) throw new InputError(`${name ? `${name}: ` : ''}not a WireView trace, pcap, pcapng or seed CSV file`, 0);
    const importer = make(kind, store, name);
    importer.push(head);
    return importer;
  };
  return {
    push(chunk) {
      if (inner) return inner.push(chunk);
      held.push(chunk.slice());
      heldBytes += chunk.length;
      if (heldBytes >= DETECT_BYTES) inner = start();
    },
    end() {
      if (!inner && heldBytes === 0) return;
      inner ??= start();
      inner.end();
    },
  };
}
