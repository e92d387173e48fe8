import type { ChunkSink } from '../importer.js';

const FLUSH_BYTES = 1 << 20;
const utf8 = new TextEncoder();

/**
 * Writes little-endian pcapng blocks into a reused 1 MiB buffer handed to `sink` when full.
 * Interfaces are LINKTYPE_RAW (101) with nanosecond timestamps.
 */
export class PcapngWriter {
  private buf = new Uint8Array(FLUSH_BYTES + 65536);
  private view = new DataView(this.buf.buffer);
  private p = 0;

  constructor(private readonly sink: ChunkSink) {}

  sectionHeader(application: string): void {
    const app = utf8.encode(application);
    const len = 28 + optionSize(app.length) + 4;
    this.ensure(len);
    const start = this.blockStart(0x0a0d0d0a, len);
    this.u32(0x1a2b3c4d);
    this.u16(1);
    this.u16(0);
    this.u32(0xffffffff); // section length unknown (-1)
    this.u32(0xffffffff);
    this.option(4, app); // shb_userappl
    this.u32(0); // opt_endofopt
    this.blockEnd(start, len);
  }

  interfaceDescription(name: string | undefined, description: string): void {
    const nameBytes = name === undefined ? undefined : utf8.encode(name);
    const desc = utf8.encode(description);
    const len = 16 + (nameBytes ? optionSize(nameBytes.length) : 0) + optionSize(desc.length) + optionSize(1) + 4 + 4;
    this.ensure(len);
    const start = this.blockStart(1, len);
    this.u16(101); // LINKTYPE_RAW
    this.u16(0);
    this.u32(0); // snaplen: no limit
    if (nameBytes) this.option(2, nameBytes); // if_name
    this.option(3, desc); // if_description
    this.option(9, Uint8Array.of(9)); // if_tsresol: ns
    this.u32(0);
    this.blockEnd(start, len);
  }

  /**
   * One packet: `data[0…caplen)` captured of `origLen`; `flags` = epb_flags direction bits;
   * `pid`/`tid` < 0 when unknown.
   */
  enhancedPacket(
    ifId: number,
    tsNs: bigint,
    data: Uint8Array,
    caplen: number,
    origLen: number,
    flags: number,
    comment: string | undefined,
    pid: number,
    tid: number,
  ): void {
    const text = comment === undefined ? undefined : utf8.encode(comment);
    const padded = (caplen + 3) & ~3;
    let opts = 0;
    if (flags !== 0) opts += optionSize(4);
    if (text) opts += optionSize(text.length);
    if (pid >= 0 || tid >= 0) opts += optionSize(8);
    if (opts > 0) opts += 4;
    const len = 32 + padded + opts;
    this.ensure(len);
    const start = this.blockStart(6, len);
    this.u32(ifId);
    const ts = BigInt.asUintN(64, tsNs);
    this.u32(Number(ts >> 32n));
    this.u32(Number(ts & 0xffffffffn));
    this.u32(caplen);
    this.u32(origLen);
    this.buf.set(data.subarray(0, caplen), this.p);
    this.buf.fill(0, this.p + caplen, this.p + padded);
    this.p += padded;
    if (flags !== 0) {
      this.optionHeader(2, 4);
      this.u32(flags);
    }
    if (text) this.option(1, text);
    if (pid >= 0 || tid >= 0) {
      this.optionHeader(8, 8); // epb_processid_threadid: 0 means unknown
      this.u32(Math.max(0, pid));
      this.u32(Math.max(0, tid));
    }
    if (opts > 0) this.u32(0);
    this.blockEnd(start, len);
  }

  /**
   * Name Resolution Blocks for `entries` (address bytes, 4 or 16, and its names without the
   * trailing dot), split so no block grows past ~64 KiB.
   */
  nameResolution(entries: Iterable<readonly [Uint8Array, readonly string[]]>): void {
    let records: Uint8Array[] = [];
    let bytes = 0;
    const emit = (): void => {
      if (records.length === 0) return;
      const len = 8 + bytes + 4 + 4;
      this.ensure(len);
      const start = this.blockStart(4, len);
      for (const r of records) {
        this.buf.set(r, this.p);
        this.p += r.length;
      }
      this.u32(0); // nrb_record_end
      this.blockEnd(start, len);
      records = [];
      bytes = 0;
    };
    for (const [addr, names] of entries) {
      const encoded = names.map((n) => utf8.encode(n));
      const valueLen = addr.length + encoded.reduce((n, e) => n + e.length + 1, 0);
      if (valueLen > 0xffff) continue;
      const record = new Uint8Array(4 + ((valueLen + 3) & ~3));
      const v = new DataView(record.buffer);
      v.setUint16(0, addr.length === 4 ? 1 : 2, true);
      v.setUint16(2, valueLen, true);
      record.set(addr, 4);
      let o = 4 + addr.length;
      for (const e of encoded) {
        record.set(e, o);
        o += e.length + 1; // zero-terminated
      }
      records.push(record);
      bytes += record.length;
      if (bytes > 65536) emit();
    }
    emit();
  }

  /** Hands any buffered bytes to the sink. */
  flush(): void {
    if (this.p === 0) return;
    this.sink(this.buf.slice(0, this.p));
    this.p = 0;
  }

  private ensure(n: number): void {
    if (this.p + n > FLUSH_BYTES) this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
  }

  private blockStart(type: number, len: number): number {
    const start = this.p;
    this.u32(type);
    this.u32(len);
    return start;
  }

  private blockEnd(start: number, len: number): void {
    this.u32(len);
    if (this.p - start !== len) throw new Error(`pcapng writer: block length ${this.p - start} != ${len}`);
  }

  private option(code: number, value: Uint8Array): void {
    this.optionHeader(code, value.length);
    this.buf.set(value, this.p);
    const padded = (value.length + 3) & ~3;
    this.buf.fill(0, this.p + value.length, this.p + padded);
    this.p += padded;
  }

  private optionHeader(code: number, length: number): void {
    this.u16(code);
    this.u16(length);
  }

  private u32(v: number): void {
    this.view.setUint32(this.p, v >>> 0, true);
    this.p += 4;
  }

  private u16(v: number): void {
    this.view.setUint16(this.p, v, true);
    this.p += 2;
  }
}

function optionSize(valueBytes: number): number {
  return 4 + ((valueBytes + 3) & ~3);
}
