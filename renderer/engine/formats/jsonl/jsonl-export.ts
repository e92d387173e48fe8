import { RowReader, toJson } from '../../values/field-values.js';
import type { Exporter } from '../importer.js';

/** Characters of JSON gathered before handing a chunk to the sink. */
const CHUNK_CHARS = 1 << 20;

/**
 * JSON Lines: one object per selected row, in row order, as docs/json.md describes (the object of
 * RowReader.object: EVENTS.md keys in snake_case, empty keys left out, `ts_ns` an exact integer).
 */
export const exportJsonl: Exporter = (store, mask, sink, progress) => {
  const reader = new RowReader(store);
  const encoder = new TextEncoder();
  let parts: string[] = [];
  let chars = 0;
  for (let bi = 0; bi < store.batches.length; bi++) {
    const start = store.batchStart[bi]!;
    const n = store.batches[bi]!.length;
    for (let r = 0; r < n; r++) {
      if (mask && mask.bits[start + r] !== 1) continue;
      const line = toJson(reader.object(bi, r));
      parts.push(line, '\n');
      chars += line.length + 1;
      if (chars >= CHUNK_CHARS) {
        sink(encoder.encode(parts.join('')));
        parts = [];
        chars = 0;
      }
    }
    progress?.(start + n, store.rowCount);
  }
  if (parts.length > 0) sink(encoder.encode(parts.join('')));
};
