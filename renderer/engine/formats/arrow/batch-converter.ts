import { DataType, type Data, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import { InputError } from '../../errors.js';
import { EVENT_INDEX } from '../../model/events.js';
import { FIELD_BY_KEY, type FieldDef, type Storage } from '../../model/fields.js';
import { allocValues, countValid, type Column, type ColumnValues, type EventBatch } from '../../store/batch.js';
import type { EventStore } from '../../store/event-store.js';
import { clearMissing, sealColumn } from '../../store/seal.js';
import { dataDamage, dictionaryDamage } from './data-check.js';
import { fromInt64 } from './int64.js';

/** Validity of a column without nulls (the sealed column gets none). */
const NO_BITMAP = new Uint8Array(0);

/** The typed array of each storage kind (as `allocValues` makes them). */
const STORAGE_TYPE = { f64: Float64Array, u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, str: Uint32Array, addr: Uint32Array } as const satisfies Record<Storage, unknown>;

/** Rows per batch beyond which a batch is damage (ours hold 64 Ki rows). */
const MAX_ROWS = 1 << 24;

/** How one Arrow column maps onto a stored field, decided once from the schema. */
interface ColumnPlan {
  readonly index: number;
  readonly field: FieldDef;
  /** Dictionary columns: file dictionary index → store id, grown as the dictionary grows. */
  translate?: Uint32Array;
  known: number;
}

type IntArray = ColumnValues | Int8Array | Int16Array | Int32Array | BigInt64Array | BigUint64Array | Float32Array;

/**
 * Turns Arrow record batches of a trace into EventBatches of one store. Works column-wise: typed
 * arrays are reused or converted in bulk; dictionary ids are mapped through a translation table
 * built once per new dictionary entry, never per row through strings.
 */
export class BatchConverter {
  private readonly plans: ColumnPlan[] = [];
  private baseNs: bigint | undefined;
  /** Arrays this converter filled that sealing did not keep, by type: filled again, not reallocated. */
  private readonly scratch = new Map<unknown, ColumnValues>();

  constructor(
    private readonly store: EventStore,
    schema: Schema,
    offset: number,
  ) {
    schema.fields.forEach((f, index) => {
      const field = FIELD_BY_KEY.get(f.name);
      if (!field || field.storage === 'derived') return; // other tools may add columns: ignore them
      const isDict = DataType.isDictionary(f.type);
      const wantsDict = field.storage === 'str' || field.storage === 'addr' || field.key === 'event';
      if (isDict !== wantsDict || (isDict && !DataType.isUtf8(f.type.dictionary))) {
        throw new InputError(`trace column ${f.name} has type ${String(f.type)}, expected ${wantsDict ? 'a dictionary of strings' : 'a number'}`, offset);
      }
      if (!isDict && !DataType.isInt(f.type) && !DataType.isTimestamp(f.type)) {
        throw new InputError(`trace column ${f.name} has type ${String(f.type)}, expected an integer`, offset);
      }
      this.plans.push({ index, field, known: 0, ...(isDict ? { translate: new Uint32Array(64) } : {}) });
    });
    for (const key of ['ts_ns', 'event']) {
      if (!this.plans.some((p) => p.field.key === key)) throw new InputError(`not a WireView trace: no ${key} column`, offset);
    }
    this.baseNs = store.baseNs;
  }

  /** The time base the writer used; taken when no batch has set one yet (same columns back). */
  suggestBase(baseNs: bigint): void {
    this.baseNs ??= BigInt.asIntN(64, baseNs);
  }

  convert(rb: RecordBatch, offset: number): EventBatch {
    const n = rb.numRows;
    if (n > MAX_ROWS) throw new InputError(`damaged record batch: ${n} rows`, offset);
    const columns: Record<string, Column> = {};
    for (const plan of this.plans) {
      const data = rb.getChildAt(plan.index)?.data[0] as Data | undefined;
      if (!data || data.length !== n) throw new InputError(`damaged record batch: column ${plan.field.key} has the wrong length`, offset);
      const damage = dataDamage(data);
      if (damage !== undefined) throw new InputError(`damaged record batch: column ${plan.field.key}: ${damage}`, offset);
      const nulls = data.nullCount;
      if (nulls === n && plan.field.key !== 'ts_ns' && plan.field.key !== 'event') continue;
      const raw = data.values as IntArray;
      if (raw.length < n) throw new InputError(`damaged record batch: column ${plan.field.key} is short`, offset);
      const valid = nulls === 0 ? NO_BITMAP : copyBitmap(data, n, offset, plan.field.key);
      // Null slots hold whatever the writer left there: translation skips them, numbers clear them.
      const values = plan.translate ? this.translated(plan, data, raw, nulls === 0 ? null : valid, offset) : this.numbers(plan.field, raw, n, nulls === 0);
      if (nulls !== 0 && !plan.translate) clearMissing(values, valid, n);
      const col = sealColumn(plan.field.key, plan.field.storage as Storage, values, valid, n, nulls === 0 ? n : countValid(valid, n));
      if (col) columns[plan.field.key] = col;
      // Sealing copied them (narrower, sparse, constant): the next column of the type reuses them.
      if (col?.form !== 'dense' || col.values !== values) this.scratch.set(values.constructor, values);
    }
    return { length: n, baseNs: this.baseNs!, columns };
  }

  /**
   * The column's numbers in its storage type, relative to the base for 64-bit times. An array of
   * its own (Arrow decompressed it into one) that already has the storage type is taken as it
   * is when every row has a value; anything else is copied, since null slots get cleared.
   */
  private numbers(field: FieldDef, raw: IntArray, n: number, full: boolean): ColumnValues {
    if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
      let base = 0n;
      if (field.key === 'ts_ns') {
        this.baseNs ??= BigInt.asIntN(64, raw[0] ?? 0n);
        base = this.baseNs;
      }
      const rel = fromInt64(raw.subarray(0, n), base, this.alloc('f64', n) as Float64Array);
      if (field.storage === 'f64') return rel;
      const out = this.alloc(field.storage as Storage, n);
      out.set(rel);
      this.scratch.set(Float64Array, rel);
      return out;
    }
    if (field.key === 'ts_ns') throw new Error('unreachable: ts_ns checked as 64-bit');
    if (full && raw.length === n && raw.byteLength === raw.buffer.byteLength && raw.constructor === STORAGE_TYPE[field.storage as Storage]) return raw as ColumnValues;
    const out = this.alloc(field.storage as Storage, n);
    out.set(raw.subarray(0, n) as ArrayLike<number>);
    return out;
  }

  /** An array of `n` values of `storage`'s type: a scratch one when there is one (its contents are stale). */
  private alloc(storage: Storage, n: number): ColumnValues {
    const type = STORAGE_TYPE[storage];
    const reused = this.scratch.get(type);
    if (reused === undefined || reused.length !== n) return allocValues(storage, n);
    this.scratch.delete(type);
    return reused;
  }

  /** Store ids of a dictionary column's rows; rows without a value (`valid`) stay 0. */
  private translated(plan: ColumnPlan, data: Data, raw: IntArray, valid: Uint8Array | null, offset: number): ColumnValues {
    const dict = data.dictionary as Vector | undefined;
    const size = dict?.length ?? 0;
    if (dict && size > plan.known) this.extend(plan, dict, size, offset);
    const table = plan.translate!;
    const n = data.length;
    const out = this.alloc(plan.field.key === 'event' ? 'u8' : 'u32', n);
    if (valid === null) {
      for (let i = 0; i < n; i++) {
        const k = Number(raw[i]);
        out[i] = k >= 0 && k < size ? table[k]! : 0;
      }
      return out;
    }
    out.fill(0);
    for (let b = 0, bytes = (n + 7) >>> 3; b < bytes; b++) {
      const m = valid[b]!;
      if (m === 0) continue;
      const end = Math.min(n, (b + 1) << 3);
      for (let i = b << 3; i < end; i++) {
        if ((m & (1 << (i & 7))) === 0) continue;
        const k = Number(raw[i]);
        out[i] = k >= 0 && k < size ? table[k]! : 0;
      }
    }
    return out;
  }

  private extend(plan: ColumnPlan, dict: Vector, size: number, offset: number): void {
    const damage = dictionaryDamage(dict);
    if (damage !== undefined) throw new InputError(`damaged trace column ${plan.field.key}: ${damage}`, offset);
    if (plan.translate!.length < size) {
      const grown = new Uint32Array(Math.max(size, plan.translate!.length * 2));
      grown.set(plan.translate!);
      plan.translate = grown;
    }
    const key = plan.field.key;
    const strings = plan.field.storage === 'str' ? this.store.dicts.strings(key) : undefined;
    for (let k = plan.known; k < size; k++) {
      const text = String(dict.get(k) ?? '');
      let id: number | undefined;
      if (key === 'event') id = EVENT_INDEX.get(text);
      else if (strings) id = strings.intern(text);
      else id = this.store.dicts.addrs.internText(text);
      if (id === undefined) {
        throw new InputError(`trace column ${key}: ${JSON.stringify(text.slice(0, 60))} is not ${key === 'event' ? 'a known event' : 'an IP address'}`, offset);
      }
      plan.translate![k] = id;
    }
    plan.known = size;
  }
}

function copyBitmap(data: Data, n: number, offset: number, key: string): Uint8Array {
  const bytes = (n + 7) >>> 3;
  const bits = data.nullBitmap;
  if (!bits || bits.length < bytes) throw new InputError(`damaged record batch: column ${key} has a short validity bitmap`, offset);
  if (data.offset === 0) {
    // Bits past the last row are padding a writer may leave set: sealing counts on them being 0.
    const out = bits.slice(0, bytes);
    if (n & 7) out[bytes - 1]! &= (1 << (n & 7)) - 1;
    return out;
  }
  const out = new Uint8Array(bytes);
  for (let r = 0; r < n; r++) {
    const s = r + data.offset;
    if ((bits[s >>> 3]! >>> (s & 7)) & 1) out[r >>> 3]! |= 1 << (r & 7);
  }
  return out;
}
