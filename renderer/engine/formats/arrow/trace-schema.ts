import { Dictionary, Field, Int32, Int64, Int8, Schema, Uint16, Uint32, Uint8, Utf8, type DataType } from 'apache-arrow';
import { STORED_FIELDS, type FieldDef } from '../../model/fields.js';
import type { TraceMeta } from '../../store/trace-meta.js';

/**
 * The Arrow schema of a WireView trace: one column per stored field of model/fields.ts, in that
 * order, with standard Arrow types so pyarrow, polars and DuckDB read it as is:
 * - `ts_ns`, `latency_ns`, `cgroup_id`, `socket_cookie`, `lost`: Int64 (ts_ns absolute, as recorded)
 * - u8/u16/u32 fields: UInt8/UInt16/UInt32
 * - string fields and addresses (canonical text): Dictionary<Int32, Utf8>, grown by delta batches
 * - `event`: Dictionary<Int8, Utf8> over the catalog ids, so other tools see `sock.send`, not 3.
 */

/** Bumped when the layout changes in a way older readers would misread. */
export const TRACE_FORMAT_VERSION = 1;

/** Schema metadata key: TraceMeta as JSON (see metaToJson). Also on the closing batch, final. */
export const META_KEY = 'wireview.meta';
/** Record-batch metadata key: DNS names learned since the previous batch, `[[addr, [names]]]`. */
export const DNS_KEY = 'wireview.dns';
/** Record-batch metadata key: the batch's time base (decimal ns); readers keep it to rebuild the same columns. */
export const BASE_KEY = 'wireview.base_ns';
export const VERSION_KEY = 'wireview.format_version';

export type ArrowColumnKind = 'int64' | 'u8' | 'u16' | 'u32' | 'dict' | 'event';

export function columnKind(field: FieldDef): ArrowColumnKind {
  if (field.key === 'event') return 'event';
  switch (field.storage) {
    case 'f64':
      return 'int64';
    case 'u8':
      return 'u8';
    case 'u16':
      return 'u16';
    case 'u32':
      return 'u32';
    default:
      return 'dict';
  }
}

function arrowType(field: FieldDef, dictId: number): DataType {
  switch (columnKind(field)) {
    case 'int64':
      return new Int64();
    case 'u8':
      return new Uint8();
    case 'u16':
      return new Uint16();
    case 'u32':
      return new Uint32();
    case 'event':
      return new Dictionary(new Utf8(), new Int8(), dictId);
    case 'dict':
      return new Dictionary(new Utf8(), new Int32(), dictId);
  }
}

export function traceSchema(meta: TraceMeta): Schema {
  const fields = STORED_FIELDS.map(
    (f, i) => new Field(f.key, arrowType(f, i), f.key !== 'ts_ns' && f.key !== 'event'),
  );
  const metadata = new Map([
    [VERSION_KEY, String(TRACE_FORMAT_VERSION)],
    [META_KEY, metaToJson(meta)],
  ]);
  return new Schema(fields, metadata);
}

/** TraceMeta as JSON; the wall-clock offset is a decimal string (it is a 64-bit ns count). */
export function metaToJson(meta: TraceMeta): string {
  return JSON.stringify({
    sources: meta.sources,
    wall_offset_ns: meta.wallOffsetNs.toString(),
    lost: meta.lost,
    ...(meta.truncated ? { truncated: { at_byte: meta.truncated.atByte, message: meta.truncated.message } } : {}),
    ...(meta.host !== undefined ? { host: meta.host } : {}),
    ...(meta.kernel !== undefined ? { kernel: meta.kernel } : {}),
    extra: meta.extra,
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses metaToJson output; throws Error with a short reason when it is not that shape. */
export function metaFromJson(text: string): TraceMeta {
  const o: unknown = JSON.parse(text);
  if (!isRecord(o)) throw new Error('trace metadata is not an object');
  const sources = Array.isArray(o.sources)
    ? o.sources.filter(isRecord).map((s) => ({ kind: String(s.kind ?? ''), name: String(s.name ?? '') }))
    : [];
  const offset = typeof o.wall_offset_ns === 'string' && /^-?\d+$/.test(o.wall_offset_ns) ? BigInt(o.wall_offset_ns) : 0n;
  const meta: TraceMeta = {
    sources,
    wallOffsetNs: offset,
    lost: typeof o.lost === 'number' ? o.lost : 0,
    extra: isRecord(o.extra) ? o.extra : {},
  };
  if (typeof o.host === 'string') meta.host = o.host;
  if (typeof o.kernel === 'string') meta.kernel = o.kernel;
  if (isRecord(o.truncated) && typeof o.truncated.message === 'string') {
    meta.truncated = { atByte: Number(o.truncated.at_byte) || 0, message: o.truncated.message };
  }
  return meta;
}
