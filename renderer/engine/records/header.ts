/**
 * The common record header (struct wv_hdr): time, ids, process and probe of every record.
 */
import type { StoredFieldKey } from '../model/fields.js';
import type { BatchBuilder, ColumnWriter } from '../store/batch-builder.js';
import type { EventStore } from '../store/event-store.js';
import { HDR_FLAG, offsetsOf } from './abi.js';
import { ByteKeyCache } from './byte-key-cache.js';

export const HDR = offsetsOf('wv_hdr', {
  ts_ns: 8,
  sock_cookie: 8,
  cgroup_id: 8,
  pid: 4,
  tid: 4,
  cpu: 4,
  event: 2,
  size_bytes: 2,
  kind: 1,
  flags: 1,
  source: 1,
  comm: 16,
});
const COMM_LEN = 16;
const HEADER_KEYS = ['cpu', 'socket_cookie', 'cgroup_id', 'pid', 'tid', 'pid_owner', 'comm', 'source'] as const;
const TWO32 = 4294967296;

/** Reads a NUL-padded fixed-size C string as UTF-8 (invalid bytes become U+FFFD). */
export function cString(bytes: Uint8Array, start: number, max: number, decoder: TextDecoder): string {
  let end = start;
  while (end < start + max && bytes[end] !== 0) end++;
  return decoder.decode(bytes.subarray(start, end));
}

/** Writes the header columns of one record; keeps its column writers across batches. */
export class HeaderDecoder {
  private baseHi = 0;
  private baseLo = 0;
  private readonly utf8 = new TextDecoder();
  /** Comm bytes → dictionary id: records of the same few tasks skip the UTF-8 decode and the lookup. */
  private readonly comms = new ByteKeyCache();
  private readonly sourceIds: Int32Array;
  private w: Writers<(typeof HEADER_KEYS)[number]> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly sourceNames: readonly string[],
  ) {
    this.sourceIds = new Int32Array(sourceNames.length).fill(-1);
  }

  /** Starts writing into `b`, whose relative times count from its `baseNs`. */
  attach(b: BatchBuilder): void {
    this.baseHi = Number(b.baseNs >> 32n);
    this.baseLo = Number(b.baseNs & 0xffffffffn);
    this.w = writers(b, HEADER_KEYS);
  }

  /** Adds the row for the record at `off` and writes its header fields; returns the row. */
  decode(b: BatchBuilder, view: DataView, off: number, eventIndex: number): number {
    // split 64-bit arithmetic keeps ns exact without a BigInt per record
    const hi = view.getUint32(off + HDR.ts_ns + 4, true);
    const lo = view.getUint32(off + HDR.ts_ns, true);
    const w = this.w!;
    const row = b.addRow((hi - this.baseHi) * TWO32 + (lo - this.baseLo), eventIndex);
    w.cpu.set(row, view.getUint32(off + HDR.cpu, true));
    setNonZero64(w.socket_cookie, row, view, off + HDR.sock_cookie);
    setNonZero64(w.cgroup_id, row, view, off + HDR.cgroup_id);
    const flags = view.getUint8(off + HDR.flags);
    if (flags & HDR_FLAG.WV_F_PID_KNOWN) {
      w.pid.set(row, view.getUint32(off + HDR.pid, true));
      w.tid.set(row, view.getUint32(off + HDR.tid, true));
      w.pid_owner.set(row, flags & HDR_FLAG.WV_F_PID_OWNER ? 1 : 0);
      w.comm.set(row, this.comms.get(view, off + HDR.comm, this.internComm));
    }
    const source = view.getUint8(off + HDR.source);
    if (source < this.sourceNames.length) w.source.set(row, this.sourceId(source));
    return row;
  }

  private readonly internComm = (view: DataView, at: number): number =>
    this.store.dicts.strings('comm').intern(cString(new Uint8Array(view.buffer, view.byteOffset + at, COMM_LEN), 0, COMM_LEN, this.utf8));

  private sourceId(source: number): number {
    let id = this.sourceIds[source]!;
    if (id < 0) {
      id = this.store.dicts.strings('source').intern(this.sourceNames[source]!);
      this.sourceIds[source] = id;
    }
    return id;
  }
}

/** Sets a u64 id column unless the value is 0 (meaning: none). */
export function setNonZero64(w: ColumnWriter, row: number, view: DataView, at: number): void {
  const v = view.getUint32(at + 4, true) * TWO32 + view.getUint32(at, true);
  if (v !== 0) w.set(row, v);
}

/** Column writers by field key, fetched once per builder (the builder reuses them batch after batch). */
export type Writers<K extends StoredFieldKey> = Readonly<Record<K, ColumnWriter>>;

export function writers<K extends StoredFieldKey>(b: BatchBuilder, keys: readonly K[]): Writers<K> {
  // Object.fromEntries keeps fast properties: the same object filled by `out[k] = …` goes to
  // dictionary mode past a dozen keys, and each `w.tcp_seq` of the decoders became a hash lookup.
  return Object.fromEntries(keys.map((k) => [k, b.col(k)])) as Record<K, ColumnWriter>;
}
