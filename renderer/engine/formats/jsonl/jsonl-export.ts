import { JsonLineWriter } from './json-line-writer.js';
import type { Exporter } from '../importer.js';

/** Bytes of JSON gathered before handing a chunk to the sink. */
const CHUNK_BYTES = 1 << 20;
/** Lines encoded to UTF-8 together. */
const GROUP_LINES = 32;

/**
 * JSON Lines: one object per selected row, in row order, as docs/json.md describes (the object of
 * RowReader.object: EVENTS.md keys in snake_case, empty keys left out, `ts_ns` an exact integer).
 */
export const exportJsonl: Exporter = (store, mask, sink, progress) => {
  const writer = new JsonLineWriter(store);
  const encoder = new TextEncoder();
  let chunk = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  // Lines are gathered a few at a time: one UTF-8 encode per group costs less than one per line.
  let group = '';
  let lines = 0;
  const encodeGroup = (): void => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (used + group.length * 3 > chunk.length) {
      flush();
      if (group.length * 3 > chunk.length) chunk = new Uint8Array(group.length * 3);
    }
    used += encoder.encodeInto(group, chunk.subarray(used)).written;
    group = '';
    lines = 0;
  };
  const flush = (): void => {
    if (used > 0) sink(chunk.slice(0, used));
    used = 0;
  };
  for (let bi = 0; bi < store.batches.length; bi++) {
    const start = store.batchStart[bi]!;
    const n = store.batches[bi]!.length;
    const lineOf = writer.forBatch(store.batches[bi]!);
    for (let r = 0; r < n; r++) {
      if (mask && mask.bits[start + r] !== 1) continue;
      group += lineOf(r);
      if (++lines === GROUP_LINES) encodeGroup();
    }
    progress?.(start + n, store.rowCount);
  }
  encodeGroup();
  flush();
};
