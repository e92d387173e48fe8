/**
 * Dictionary ids of 16-byte keys read straight from a record (a task's comm, an IPv6 address;
 * IPv4 addresses as 4-byte keys, `get4`),
 * so the common case — the same few keys record after record — costs four 32-bit loads and
 * compares: no view, no string and no Map lookup per record. Direct-mapped: a key whose slot
 * another key holds is looked up through `miss` (the real dictionary) and takes the slot over.
 * Ids must stay valid for the cache's life (the store's dictionaries only grow).
 */
const SLOTS = 64;

export class ByteKeyCache {
  private readonly words = new Int32Array(SLOTS * 4);
  private readonly ids = new Int32Array(SLOTS).fill(-1);
  private readonly words4 = new Uint32Array(SLOTS);
  private readonly ids4 = new Int32Array(SLOTS).fill(-1);

  /** The id of the 16 bytes at `view[at…at+16)`; `miss` interns them when the cache does not know them. */
  get(view: DataView, at: number, miss: (view: DataView, at: number) => number): number {
    const a = view.getInt32(at, true);
    const b = view.getInt32(at + 4, true);
    const c = view.getInt32(at + 8, true);
    const d = view.getInt32(at + 12, true);
    const slot = (Math.imul(a ^ Math.imul(b, 31) ^ Math.imul(c, 961) ^ Math.imul(d, 29791), -1640531535) >>> 26) & (SLOTS - 1);
    const w = slot * 4;
    const words = this.words;
    let id = this.ids[slot]!;
    if (id >= 0 && words[w] === a && words[w + 1] === b && words[w + 2] === c && words[w + 3] === d) return id;
    id = miss(view, at);
    words[w] = a;
    words[w + 1] = b;
    words[w + 2] = c;
    words[w + 3] = d;
    this.ids[slot] = id;
    return id;
  }

  /** The id of the 4 bytes at `view[at…at+4)` (big-endian: an IPv4 address as AddressDict.internV4 takes it). */
  get4(view: DataView, at: number, miss: (addr: number) => number): number {
    const a = view.getUint32(at, false);
    const slot = Math.imul(a, -1640531535) >>> 26;
    let id = this.ids4[slot]!;
    if (id >= 0 && this.words4[slot] === a) return id;
    id = miss(a);
    this.words4[slot] = a;
    this.ids4[slot] = id;
    return id;
  }
}
