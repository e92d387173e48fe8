/**
 * Reusable arrays for the values TraceWriter hands Arrow. Sealed columns are narrow (const,
 * sparse, or a smaller integer type) while the file wants each field's own width, so every batch
 * used to allocate a wide copy of most columns — tens of MB per second of capture, whose garbage
 * collection cost more than filling them. Arrow copies (compresses) every buffer before a write
 * returns, so one array per field, grown as needed, serves batch after batch.
 */
import type { Storage } from '../../model/fields.js';
import { scatterPacked, type Column, type ColumnValues } from '../../store/batch.js';
import { clearMissing } from '../../store/seal.js';

const BYTES: Readonly<Record<Storage, number>> = { f64: 8, u8: 1, u16: 2, u32: 4, str: 4, addr: 4 };

export class WriteScratch {
  private readonly buffers: ArrayBuffer[] = [];

  /**
   * One value per row (0 where a row has none) in the typed array `storage` names. A dense
   * column of that type is returned as it is; anything else is written into slot `slot`'s
   * scratch, valid until the next call for the same slot.
   */
  values(slot: number, col: Column, storage: Storage, length: number): ColumnValues {
    const out = this.array(slot, storage, length);
    if (col.form === 'dense' && col.values.constructor === out.constructor) return col.values;
    switch (col.form) {
      case 'dense':
        out.set(col.values.subarray(0, length));
        break;
      case 'const':
        out.fill(col.value);
        if (col.valid) clearMissing(out, col.valid, length);
        break;
      case 'sparse':
        out.fill(0);
        scatterPacked(col.valid, col.packed, out);
        break;
    }
    return out;
  }

  /** Slot `slot`'s scratch as `length` 64-bit integers (contents undefined). */
  int64(slot: number, length: number): BigInt64Array {
    return new BigInt64Array(this.bytes(slot, length * 8), 0, length);
  }

  private array(slot: number, storage: Storage, length: number): ColumnValues {
    const buffer = this.bytes(slot, length * BYTES[storage]);
    switch (storage) {
      case 'f64':
        return new Float64Array(buffer, 0, length);
      case 'u8':
        return new Uint8Array(buffer, 0, length);
      case 'u16':
        return new Uint16Array(buffer, 0, length);
      default:
        return new Uint32Array(buffer, 0, length);
    }
  }

  private bytes(slot: number, size: number): ArrayBuffer {
    let buffer = this.buffers[slot];
    if (!buffer || buffer.byteLength < size) {
      buffer = new ArrayBuffer(Math.max(size, Math.min(2 * (buffer?.byteLength ?? 0), 64 << 20)));
      this.buffers[slot] = buffer;
    }
    return buffer;
  }
}
