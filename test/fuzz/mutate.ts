/** Seeded mutation of files for the fuzz tests: about `rate` of the bytes replaced at random. */

/** mulberry32: small, fast and the same everywhere, so a seed gives the same run every time. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `src` with each byte from `from` on replaced with probability `rate`. */
export function mutate(src: Uint8Array, rand: () => number, rate: number, from = 0): Uint8Array {
  const bytes = src.slice();
  for (let i = from; i < bytes.length; i++) if (rand() < rate) bytes[i] = Math.floor(rand() * 256);
  return bytes;
}
