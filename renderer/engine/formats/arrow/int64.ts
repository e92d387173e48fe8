/**
 * Float64 columns (exact integers below 2^53, relative to a base) ⇄ Int64 columns (absolute), done
 * on 32-bit halves: one BigInt per row would cost ~10× more. Arrow and every platform we run on
 * are little-endian, so the low half of value i is word 2i.
 */

const TWO32 = 4294967296;

function splitBase(baseNs: bigint): [lo: number, hi: number] {
  return [Number(BigInt.asUintN(32, baseNs)), Number(BigInt.asIntN(32, baseNs >> 32n))];
}

/** `base + values[i]` for i < length, as Int64 (into `out` when given: at least `length` long). */
export function toInt64(values: Float64Array, length: number, baseNs: bigint, out: BigInt64Array = new BigInt64Array(length)): BigInt64Array {
  const words = new Int32Array(out.buffer, out.byteOffset, length * 2);
  const [baseLo, baseHi] = splitBase(baseNs);
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    const hi = Math.floor(v / TWO32);
    const lo = v - hi * TWO32 + baseLo;
    const carry = lo >= TWO32 ? 1 : 0;
    words[2 * i] = lo; // ToInt32 keeps the low 32 bits
    words[2 * i + 1] = hi + baseHi + carry;
  }
  return out;
}

/** `values[i] - base` as Float64 (exact while the difference stays below 2^53), into `out` when given (at least as long). */
export function fromInt64(values: BigInt64Array | BigUint64Array, baseNs: bigint, out: Float64Array = new Float64Array(values.length)): Float64Array {
  const n = values.length;
  const aligned = values.byteOffset % 4 === 0 ? values : values.slice();
  const lo = new Uint32Array(aligned.buffer, aligned.byteOffset, n * 2);
  const hi = new Int32Array(aligned.buffer, aligned.byteOffset, n * 2);
  const [baseLo, baseHi] = splitBase(baseNs);
  for (let i = 0; i < n; i++) out[i] = (hi[2 * i + 1]! - baseHi) * TWO32 + (lo[2 * i]! - baseLo);
  return out;
}
