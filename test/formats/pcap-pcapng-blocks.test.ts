/**
 * pcapng features the corpus barely covers, on captures built here block by block: both section
 * byte orders, several sections and interfaces, if_tsresol/if_name, EPB flags and comments,
 * simple and obsolete packet blocks, unknown blocks skipped, bad blocks refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../renderer/engine/errors.js';
import { importCapture, rowObjects } from './pcap-import-helpers.js';

/** A UDP/IPv4 packet 10.0.0.1:1000 → 10.0.0.2:53 with `payload` bytes, as raw IP. */
function udpPacket(payload: number): number[] {
  const total = 28 + payload;
  return [0x45, 0, total >> 8, total & 255, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xe8, 0, 53, 0, 8 + payload, 0, 0, ...new Array<number>(payload).fill(0)];
}

class Blocks {
  readonly bytes: number[] = [];
  constructor(private le: boolean) {}
  private u16 = (v: number): number[] => (this.le ? [v & 255, v >> 8] : [v >> 8, v & 255]);
  private u32 = (v: number): number[] => {
    const b = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    return this.le ? b.reverse() : b;
  };
  private pad = (b: number[]): number[] => [...b, ...new Array<number>((4 - (b.length % 4)) % 4).fill(0)];
  option(code: number, value: number[]): number[] {
    return [...this.u16(code), ...this.u16(value.length), ...this.pad(value)];
  }
  text = (s: string): number[] => [...new TextEncoder().encode(s)];
  block(type: number, body: number[]): void {
    const len = 12 + body.length;
    this.bytes.push(...this.u32(type), ...this.u32(len), ...body, ...this.u32(len));
  }
  section(le: boolean): void {
    this.le = le;
    this.block(0x0a0d0d0a, [...this.u32(0x1a2b3c4d), ...this.u16(1), ...this.u16(0), 255, 255, 255, 255, 255, 255, 255, 255]);
  }
  iface(name: string, tsresol: number): void {
    this.block(1, [...this.u16(101), 0, 0, ...this.u32(0), ...this.option(2, this.text(name)), ...this.option(9, [tsresol]), 0, 0, 0, 0]);
  }
  epb(ifId: number, ts: bigint, data: number[], opts: number[] = []): void {
    const hi = Number(ts >> 32n);
    const lo = Number(ts & 0xffffffffn);
    this.block(6, [...this.u32(ifId), ...this.u32(hi), ...this.u32(lo), ...this.u32(data.length), ...this.u32(data.length), ...this.pad(data), ...opts]);
  }
  u32opt(code: number, v: number): number[] {
    return this.option(code, this.u32(v));
  }
  spb(data: number[]): void {
    this.block(3, [...this.u32(data.length), ...this.pad(data)]);
  }
  opb(ifId: number, ts: bigint, data: number[]): void {
    this.block(2, [...this.u16(ifId), ...this.u16(0), ...this.u32(Number(ts >> 32n)), ...this.u32(Number(ts & 0xffffffffn)), ...this.u32(data.length), ...this.u32(data.length), ...this.pad(data)]);
  }
}

test('sections in both byte orders, interfaces, resolutions, packet blocks', () => {
  const b = new Blocks(false);
  b.section(false); // big-endian section
  b.iface('eth0', 9); // ns
  b.iface('lo', 6); // µs
  b.epb(0, 1_700_000_000_123_456_789n, udpPacket(4), [...b.u32opt(2, 2), ...b.option(1, b.text('pid=9 tid=10 comm=dig')), 0, 0, 0, 0]);
  b.block(0x0bad, [1, 2, 3, 4]); // unknown block: skipped
  b.epb(1, 1_700_000_000_123_457n, udpPacket(5), [...b.u32opt(2, 1), 0, 0, 0, 0]);
  b.section(true); // little-endian section: interfaces start again
  b.iface('wlan0', 0x80 | 20); // 2^-20 s units
  b.opb(0, 1_700_000_001n << 20n, udpPacket(6));
  b.spb(udpPacket(7));
  const rows = rowObjects(importCapture(Uint8Array.from(b.bytes), 9)).filter((o) => String(o.event).startsWith('pkt.'));
  assert.deepEqual(
    rows.map((o) => [o.ts_ns, o.ifname, o.ifindex, o.direction, o.size, o.pid, o.tid, o.comm]),
    [
      [1_700_000_000_123_456_789n, 'eth0', 0, 'output', 4, 9, 10, 'dig'],
      [1_700_000_000_123_457_000n, 'lo', 1, 'input', 5, undefined, undefined, undefined],
      [1_700_000_001_000_000_000n, 'wlan0', 0, undefined, 6, undefined, undefined, undefined],
      [1_700_000_001_000_000_000n, 'wlan0', 0, undefined, 7, undefined, undefined, undefined],
    ],
  );
  assert.ok(rows.every((o) => o.source === 'pcapng' && o.saddr === '10.0.0.1' && o.dport === 53));
});

test('bad blocks are refused with the offset of the problem', () => {
  const b = new Blocks(true);
  b.section(true);
  b.iface('eth0', 6);
  const good = b.bytes.length;
  b.epb(3, 0n, udpPacket(0)); // interface 3 does not exist
  assert.throws(
    () => importCapture(Uint8Array.from(b.bytes)),
    (e: unknown) => e instanceof InputError && /interface 3/.test(e.message) && e.offset === good + 8,
  );
  const c = new Blocks(true);
  c.section(true);
  const bad = Uint8Array.from([...c.bytes, 6, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0]); // length not a multiple of 4
  assert.throws(() => importCapture(bad), (e: unknown) => e instanceof InputError && e.offset === c.bytes.length + 4);
});
