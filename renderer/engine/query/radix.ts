/**
 * Stable LSD radix sort of `items` by unsigned keys: `lo` is the low word and `hi` (when given)
 * the high word of a 64-bit key. Stable, so items that arrive in time order stay in time order
 * among equal keys. Each word is sorted in as few passes as its largest key allows — one pass up
 * to 16 bits, then digits of at most 11 bits (which beat 8- and 16-bit digits on 10M keys).
 * Sorts in place; `lo` and `hi` are reordered along with `items`.
 */
export function radixSortByKey(items: Uint32Array, lo: Uint32Array, hi?: Uint32Array): void {
  const n = items.length;
  if (n < 2) return;
  interface Lanes {
    items: Uint32Array;
    lo: Uint32Array;
    hi: Uint32Array | undefined;
  }
  let src: Lanes = { items, lo, hi };
  let dst: Lanes = { items: new Uint32Array(n), lo: new Uint32Array(n), hi: hi ? new Uint32Array(n) : undefined };
  const count = new Uint32Array(1 << 16);
  for (const word of hi ? [0, 1] : [0]) {
    const bits = 32 - Math.clz32(maxOf(word === 0 ? lo : hi!));
    const passes = bits <= 16 ? 1 : bits <= 22 ? 2 : 3;
    const digitBits = Math.ceil(bits / passes);
    const mask = (1 << digitBits) - 1;
    for (let pass = 0; pass < passes && bits > 0; pass++) {
      const shift = pass * digitBits;
      const keys = word === 0 ? src.lo : src.hi!;
      count.fill(0, 0, mask + 1);
      for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & mask]!++;
      if (count[(keys[0]! >>> shift) & mask] === n) continue;
      let sum = 0;
      for (let d = 0; d <= mask; d++) {
        const c = count[d]!;
        count[d] = sum;
        sum += c;
      }
      const sItems = src.items;
      const sLo = src.lo;
      const sHi = src.hi;
      const dItems = dst.items;
      const dLo = dst.lo;
      const dHi = dst.hi;
      for (let i = 0; i < n; i++) {
        const at = count[(keys[i]! >>> shift) & mask]!++;
        dItems[at] = sItems[i]!;
        dLo[at] = sLo[i]!;
        if (dHi !== undefined) dHi[at] = sHi![i]!;
      }
      const t = src;
      src = dst;
      dst = t;
    }
  }
  if (src.items !== items) {
    items.set(src.items);
    lo.set(src.lo);
    if (hi) hi.set(src.hi!);
  }
}

function maxOf(a: Uint32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}
