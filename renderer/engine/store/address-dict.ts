import { formatIPv4, formatIPv6, parseAddress } from '../net/address.js';

/**
 * Interns IP addresses to dense ids. Each entry keeps its 16 bytes (IPv4 in the first 4, with
 * version 4) for CIDR matching and its canonical text, made on first use.
 */
export class AddressDict {
  private readonly v4 = new Map<number, number>();
  private readonly v6 = new Map<string, number>();
  private bytes = new Uint8Array(16 * 1024);
  private readonly versions: number[] = [];
  private readonly texts: (string | undefined)[] = [];

  get size(): number {
    return this.versions.length;
  }

  /** `addr` is the IPv4 address as an unsigned 32-bit number, network order read big-endian. */
  internV4(addr: number): number {
    let id = this.v4.get(addr);
    if (id === undefined) {
      id = this.add(4);
      const o = id * 16;
      this.bytes[o] = addr >>> 24;
      this.bytes[o + 1] = (addr >>> 16) & 255;
      this.bytes[o + 2] = (addr >>> 8) & 255;
      this.bytes[o + 3] = addr & 255;
      this.v4.set(addr >>> 0, id);
    }
    return id;
  }

  /** The 16 bytes at `src[off…off+16)` as an IPv6 address. */
  internV6(src: Uint8Array, off: number): number {
    let key = '';
    for (let i = 0; i < 16; i += 2) key += String.fromCharCode((src[off + i]! << 8) | src[off + i + 1]!);
    let id = this.v6.get(key);
    if (id === undefined) {
      id = this.add(6);
      this.bytes.set(src.subarray(off, off + 16), id * 16);
      this.v6.set(key, id);
    }
    return id;
  }

  /** Interns an address given as text; undefined when it is not an IPv4 or IPv6 address. */
  internText(text: string): number | undefined {
    const parsed = parseAddress(text);
    if (!parsed) return undefined;
    if (parsed.version === 4) {
      const b = parsed.bytes;
      return this.internV4(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0);
    }
    return this.internV6(parsed.bytes, 0);
  }

  version(id: number): number {
    return this.versions[id] ?? 0;
  }

  /** The address bytes of `id` (4 or 16 of them); a view, do not keep or change it. */
  bytesOf(id: number): Uint8Array {
    const len = this.versions[id] === 4 ? 4 : 16;
    return this.bytes.subarray(id * 16, id * 16 + len);
  }

  text(id: number): string {
    let t = this.texts[id];
    if (t === undefined) {
      t = this.versions[id] === 4 ? formatIPv4(this.bytesOf(id)) : formatIPv6(this.bytesOf(id));
      this.texts[id] = t;
    }
    return t;
  }

  private add(version: number): number {
    const id = this.versions.length;
    if ((id + 1) * 16 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.versions.push(version);
    this.texts.push(undefined);
    return id;
  }
}
