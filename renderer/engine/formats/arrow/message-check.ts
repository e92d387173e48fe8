/**
 * Bounds check of an Arrow IPC message header (a flatbuffer, format/Message.fbs) before Arrow
 * decodes it. Arrow's decoder trusts vector lengths: a damaged length of 2^31 makes it loop that
 * many times building objects. Here every table, vector and string must lie inside the buffer and
 * vectors can hold no more elements than bytes allow. Returns a reason, or undefined when sound.
 */

const MAX_DEPTH = 32;

class Bounds {
  constructor(private readonly b: Uint8Array) {}

  u32(at: number): number {
    if (at < 0 || at + 4 > this.b.length) throw new RangeError(`offset ${at} outside header`);
    const b = this.b;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
  }

  u16(at: number): number {
    if (at < 0 || at + 2 > this.b.length) throw new RangeError(`offset ${at} outside header`);
    return this.b[at]! | (this.b[at + 1]! << 8);
  }

  /** Position of field `index` of the table at `table`, or undefined when the field is absent. */
  field(table: number, index: number): number | undefined {
    const vtable = table - (this.u32(table) | 0);
    const vtableSize = this.u16(vtable);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtableSize) return undefined;
    const off = this.u16(vtable + slot);
    return off === 0 ? undefined : table + off;
  }

  /** Table referenced by the offset stored at `at`. */
  deref(at: number): number {
    const target = at + this.u32(at);
    if (target >= this.b.length) throw new RangeError('reference outside header');
    return target;
  }

  /** Start and length of the vector referenced at `at`, checked to fit `elemBytes` per element. */
  vector(at: number, elemBytes: number): [start: number, length: number] {
    const v = this.deref(at);
    const n = this.u32(v);
    if (v + 4 + n * elemBytes > this.b.length) throw new RangeError(`vector of ${n} does not fit`);
    return [v + 4, n];
  }

  byte(at: number): number {
    if (at >= this.b.length) throw new RangeError('offset outside header');
    return this.b[at]!;
  }
}

function checkKeyValues(fb: Bounds, table: number, index: number): void {
  const at = fb.field(table, index);
  if (at === undefined) return;
  const [start, n] = fb.vector(at, 4);
  for (let i = 0; i < n; i++) {
    const kv = fb.deref(start + 4 * i);
    for (const f of [0, 1]) {
      const s = fb.field(kv, f);
      if (s !== undefined) fb.vector(s, 1);
    }
  }
}

function checkFields(fb: Bounds, table: number, index: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError('fields nested too deep');
  const at = fb.field(table, index);
  if (at === undefined) return;
  const [start, n] = fb.vector(at, 4);
  for (let i = 0; i < n; i++) {
    const field = fb.deref(start + 4 * i);
    const name = fb.field(field, 0);
    if (name !== undefined) fb.vector(name, 1);
    const type = fb.field(field, 3);
    if (type !== undefined) fb.deref(type);
    const dict = fb.field(field, 4);
    if (dict !== undefined) {
      const d = fb.deref(dict);
      const indexType = fb.field(d, 1);
      if (indexType !== undefined) fb.deref(indexType);
    }
    checkFields(fb, field, 5, depth + 1);
    checkKeyValues(fb, field, 6);
  }
}

function checkRecordBatch(fb: Bounds, table: number): void {
  for (const index of [1, 2]) {
    const at = fb.field(table, index); // nodes, buffers: structs of two int64
    if (at !== undefined) fb.vector(at, 16);
  }
  const compression = fb.field(table, 3);
  if (compression !== undefined) fb.deref(compression);
  const variadic = fb.field(table, 4);
  if (variadic !== undefined) fb.vector(variadic, 8);
}

export function checkMessageHeader(bytes: Uint8Array): string | undefined {
  const fb = new Bounds(bytes);
  try {
    const message = fb.deref(0);
    const typeAt = fb.field(message, 1);
    const headerType = typeAt === undefined ? 0 : fb.byte(typeAt);
    const headerAt = fb.field(message, 2);
    if (headerAt === undefined) return 'message without header';
    const header = fb.deref(headerAt);
    switch (headerType) {
      case 1: // Schema
        checkFields(fb, header, 1, 0);
        checkKeyValues(fb, header, 2);
        break;
      case 2: {
        // DictionaryBatch: its data is a RecordBatch
        const data = fb.field(header, 1);
        if (data !== undefined) checkRecordBatch(fb, fb.deref(data));
        break;
      }
      case 3:
        checkRecordBatch(fb, header);
        break;
      default:
        return `unsupported message type ${headerType}`;
    }
    checkKeyValues(fb, message, 4);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
