/** Seeded mutation of files for the fuzz tests: about `rate` of the bytes replaced at random. */
import { mulberry32 as rng } from '../support/rng.js';

export { rng };

/** A copy of `src` with each byte from `from` on replaced with probability `rate`. */
export function mutate(src: Uint8Array, rand: () => number, rate: number, from = 0): Uint8Array {
  const bytes = src.slice();
  for (let i = from; i < bytes.length; i++) if (rand() < rate) bytes[i] = Math.floor(rand() * 256);
  return bytes;
}
