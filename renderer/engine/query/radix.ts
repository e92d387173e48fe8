/**
 * Stable LSD radix sort of `items` by unsigned keys, 16 bits per pass: `lo` is the low word and
 * `hi` (when given) the high word of a 64-bit key. Stable, so items that arrive in time order stay
 * in time order among equal keys. Passes whose digit is the same for every item are skipped.
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
  const count = new Uint32Array(65536);
  const words = hi ? 2 : 1;
  for (let pass = 0; pass < words * 2; pass++) {
    const useHi = pass >= 2;
    const shift = (pass & 1) * 16;
    const keys = useHi ? src.hi! : src.lo;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & 0xffff]!++;
    if (count[(keys[0]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
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
      const at = count[(keys[i]! >>> shift) & 0xffff]!++;
      dItems[at] = sItems[i]!;
      dLo[at] = sLo[i]!;
      if (dHi !== undefined) dHi[at] = sHi![i]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src.items !== items) {
    items.set(src.items);
    lo.set(src.lo);
    if (hi) hi.set(src.hi!);
  }
}
