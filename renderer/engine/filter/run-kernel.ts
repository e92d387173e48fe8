import { denseValues, scatterPacked, type Column, type ColumnValues, type EventBatch } from '../store/batch.js';
import { applyValid } from './byte-ops.js';
import type { Kernel } from './kernels.js';

/**
 * The row loops of the kernels. Each loop is written once per typed-array type so that every
 * loop site in V8 sees a single array type (a loop shared by Uint8/Uint16/Uint32/Float64 arrays
 * runs several times slower).
 */

function lut8(v: Uint8Array, lut: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = lut[v[i]!]!;
}
function lut16(v: Uint16Array, lut: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = lut[v[i]!]!;
}
function lut32(v: Uint32Array, lut: Uint8Array, out: Uint8Array): void {
  // Ids past the table (none today: tables cover the whole dictionary) read as undefined → 0.
  for (let i = 0; i < out.length; i++) out[i] = lut[v[i]!]!;
}

function service(port: Uint16Array, proto: Uint8Array, tcp: Uint8Array, udp: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const p = proto[i]!;
    out[i] = p === 6 ? tcp[port[i]!]! : p === 17 ? udp[port[i]!]! : 0;
  }
}

type Op = '=' | '<' | '<=' | '>' | '>=' | 'in' | 'has';

function compare32(v: Uint32Array, op: Op, nums: Float64Array, flip: number, out: Uint8Array): void {
  const n = out.length;
  const c = nums[0] ?? 0;
  switch (op) {
    case 'has':
      out.fill(1 ^ flip);
      return;
    case '=':
      for (let i = 0; i < n; i++) out[i] = (v[i] === c ? 1 : 0) ^ flip;
      return;
    case '<':
      for (let i = 0; i < n; i++) out[i] = (v[i]! < c ? 1 : 0) ^ flip;
      return;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = (v[i]! <= c ? 1 : 0) ^ flip;
      return;
    case '>':
      for (let i = 0; i < n; i++) out[i] = (v[i]! > c ? 1 : 0) ^ flip;
      return;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = (v[i]! >= c ? 1 : 0) ^ flip;
      return;
    case 'in':
      for (let i = 0; i < n; i++) out[i] = (nums.includes(v[i]!) ? 1 : 0) ^ flip;
  }
}

function compare64(v: Float64Array, op: Op, nums: Float64Array, flip: number, out: Uint8Array): void {
  const n = out.length;
  const c = nums[0] ?? 0;
  switch (op) {
    case 'has':
      out.fill(1 ^ flip);
      return;
    case '=':
      for (let i = 0; i < n; i++) out[i] = (v[i] === c ? 1 : 0) ^ flip;
      return;
    case '<':
      for (let i = 0; i < n; i++) out[i] = (v[i]! < c ? 1 : 0) ^ flip;
      return;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = (v[i]! <= c ? 1 : 0) ^ flip;
      return;
    case '>':
      for (let i = 0; i < n; i++) out[i] = (v[i]! > c ? 1 : 0) ^ flip;
      return;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = (v[i]! >= c ? 1 : 0) ^ flip;
      return;
    case 'in':
      for (let i = 0; i < n; i++) out[i] = (nums.includes(v[i]!) ? 1 : 0) ^ flip;
  }
}

/** Bits of a u32 column (sock.msg_flags…): all of `mask` or any of it. */
function bits32(v: Uint32Array, mask: number, all: boolean, flip: number, out: Uint8Array): void {
  if (all) for (let i = 0; i < out.length; i++) out[i] = ((v[i]! & mask) === mask ? 1 : 0) ^ flip;
  else for (let i = 0; i < out.length; i++) out[i] = ((v[i]! & mask) !== 0 ? 1 : 0) ^ flip;
}

/** 0..65535: running a comparison over it fills the lookup table of a narrow column. */
const IDENTITY = Uint32Array.from({ length: 65536 }, (_, i) => i);

/** Per kernel, the answer for every value of a Uint8 (256) or Uint16 (65536) column, made on first use. */
const narrowTables = new WeakMap<Kernel, Uint8Array[]>();

/**
 * Comparisons and bit tests are written for u32/f64 columns; a batch whose values were sealed
 * in 8 or 16 bits gets them as a lookup table over every possible value (the same answers).
 */
function narrowTable(k: Kernel & { k: 'num' | 'bits' }, size: 256 | 65536): Uint8Array {
  let tables = narrowTables.get(k);
  if (!tables) narrowTables.set(k, (tables = []));
  let lut = tables[size];
  if (!lut) {
    lut = new Uint8Array(size);
    const flip = k.negate ? 1 : 0;
    if (k.k === 'num') compare32(IDENTITY.subarray(0, size), k.op, k.nums, flip, lut);
    else bits32(IDENTITY.subarray(0, size), k.mask, k.all, flip, lut);
    tables[size] = lut;
  }
  return lut;
}

/** Runs a lookup-table, comparison or bit-test kernel over one value per row of `out`. */
function rowLoop(k: Exclude<Kernel, { k: 'service' }>, v: ColumnValues, out: Uint8Array): void {
  if (k.k === 'lut') {
    if (v instanceof Uint8Array) lut8(v, k.lut, out);
    else if (v instanceof Uint16Array) lut16(v, k.lut, out);
    else if (v instanceof Uint32Array) lut32(v, k.lut, out);
    else throw new Error(`lookup table over the float column ${k.key}`);
  } else if (v instanceof Uint8Array) lut8(v, narrowTable(k, 256), out);
  else if (v instanceof Uint16Array) lut16(v, narrowTable(k, 65536), out);
  else if (k.k === 'num') {
    if (v instanceof Float64Array) compare64(v, k.op, k.nums, k.negate ? 1 : 0, out);
    else compare32(v, k.op, k.nums, k.negate ? 1 : 0, out);
  } else {
    if (!(v instanceof Uint32Array)) throw new Error(`per-row bit test over the float column ${k.key}`);
    bits32(v, k.mask, k.all, k.negate ? 1 : 0, out);
  }
}

/** Output of a kernel over a sparse column's packed values, grown as needed. */
let packedOut = new Uint8Array(4096);

/** A constant as a one-element array of the type its kernel loop reads. */
function constArray(v: number): ColumnValues {
  return v >>> 0 === v ? Uint32Array.of(v) : Float64Array.of(v);
}

/** Runs `k` over the column `col` of a batch; rows without a value come out 0. */
function runOnColumn(k: Exclude<Kernel, { k: 'service' }>, col: Column, out: Uint8Array): void {
  switch (col.form) {
    case 'dense':
      rowLoop(k, col.values, out);
      applyValid(col.valid, out);
      return;
    case 'const': {
      // One answer for every row with a value.
      const one = new Uint8Array(1);
      rowLoop(k, constArray(col.value), one);
      out.fill(one[0]!);
      applyValid(col.valid, out);
      return;
    }
    case 'sparse': {
      // Only the rows with a value are tested, then their answers are put in place.
      const n = col.packed.length;
      if (packedOut.length < n) packedOut = new Uint8Array(n);
      const answers = packedOut.subarray(0, n);
      rowLoop(k, col.packed, answers);
      out.fill(0);
      scatterPacked(col.valid, answers, out);
    }
  }
}

/** Service names: by the TCP or UDP table of each row's protocol, indexed by its port. */
function runService(k: Kernel & { k: 'service' }, batch: EventBatch, port: Column, out: Uint8Array): void {
  const proto = batch.columns.proto;
  if (!proto) {
    out.fill(0);
    return;
  }
  if (proto.form === 'const') {
    // One protocol in the whole batch (common in captures): a plain table lookup on the port.
    const lut = proto.value === 6 ? k.tcp : proto.value === 17 ? k.udp : undefined;
    if (!lut) out.fill(0);
    else runOnColumn({ k: 'lut', key: k.portKey, lut }, port, out);
    applyValid(proto.valid, out);
    return;
  }
  const ports = denseValues(port, out.length);
  const protos = denseValues(proto, out.length);
  service(
    ports instanceof Uint16Array ? ports : Uint16Array.from(ports),
    protos instanceof Uint8Array ? protos : Uint8Array.from(protos),
    k.tcp,
    k.udp,
    out,
  );
  applyValid(proto.valid, out);
  applyValid(port.valid, out);
}

/** Fills `out` (one byte per row of `batch`) with 1 for the rows that pass the kernel. */
export function runKernel(k: Kernel, batch: EventBatch, out: Uint8Array): void {
  const col = batch.columns[k.k === 'service' ? k.portKey : k.key];
  if (!col) out.fill(0);
  else if (k.k === 'service') runService(k, batch, col, out);
  else runOnColumn(k, col, out);
}
