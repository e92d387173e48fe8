import { DataType, type Data, type Vector } from 'apache-arrow';

/**
 * Bounds check of decoded Arrow column data against the buffers it came with. Arrow takes a
 * column's length from the message header (a field node) and never compares it with its buffers:
 * a damaged length of 10^9 over a 12-byte buffer makes every later loop over the column run that
 * long and grow memory without end. Here the length must fit the values (and, for strings, the
 * offsets, which must rise inside the string bytes), so all later work is bounded by the bytes
 * actually read. Returns a reason, or undefined when sound. A dictionary column's dictionary is
 * checked apart (`dictionaryDamage`), once each time it grows.
 */
export function dataDamage(data: Data): string | undefined {
  const { length, offset } = data;
  if (!Number.isSafeInteger(length) || length < 0 || !Number.isSafeInteger(offset) || offset < 0) return `length ${length} at offset ${offset}`;
  const end = offset + length;
  // A null count not yet known (-1) is computed from the bitmap, so the bitmap must cover the rows.
  const bits = data.nullBitmap;
  if (bits && bits.length > 0 && bits.length * 8 < end) return `validity bitmap of ${bits.length} bytes for ${end} rows`;
  if (DataType.isUtf8(data.type) || DataType.isBinary(data.type)) return offsetsDamage(data, end);
  const values = data.values as ArrayLike<unknown> | undefined;
  if (!values) return length === 0 ? undefined : `no values for ${length} rows`;
  return values.length < end * data.stride ? `${values.length} values for ${end} rows` : undefined;
}

/** Offsets of a string column: one more than rows, non-decreasing, inside the string bytes. */
function offsetsDamage(data: Data, end: number): string | undefined {
  const offsets = data.valueOffsets as ArrayLike<number> | undefined;
  if (end === 0) return undefined;
  if (!offsets || offsets.length < end + 1) return `${offsets?.length ?? 0} string offsets for ${end} rows`;
  const bytes = (data.values as Uint8Array | undefined)?.length ?? 0;
  let prev = offsets[data.offset]!;
  if (prev < 0) return `string offset ${prev}`;
  for (let i = data.offset + 1; i <= end; i++) {
    const o = offsets[i]!;
    if (o < prev) return `string offsets fall at row ${i - 1}`;
    prev = o;
  }
  return prev > bytes ? `string offset ${prev} past ${bytes} bytes` : undefined;
}

/** `dataDamage` of every chunk of a dictionary (its first batch and each delta). */
export function dictionaryDamage(dict: Vector): string | undefined {
  for (const chunk of dict.data) {
    const damage = dataDamage(chunk);
    if (damage !== undefined) return `dictionary: ${damage}`;
  }
  return undefined;
}
