/** Seeded mutation of files for the fuzz tests: about `rate` of the bytes replaced at random. */
import { mulberry32 as rng } from '../support/rng.js';

export { rng };

/** A copy of `src` with each byte from `from` on replaced with probability `rate`. */
export function mutate(src: Uint8Array, rand: () => number, rate: number, from = 0): Uint8Array {
  // A copy even when `src` is a Buffer, whose slice() is a view: mutating it would damage the seed.
  const bytes = new Uint8Array(src);
  for (let i = from; i < bytes.length; i++) if (rand() < rate) bytes[i] = Math.floor(rand() * 256);
  return bytes;
}
