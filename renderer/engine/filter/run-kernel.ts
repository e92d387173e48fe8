import type { EventBatch } from '../store/batch.js';
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

/** Fills `out` (one byte per row of `batch`) with 1 for the rows that pass the kernel. */
export function runKernel(k: Kernel, batch: EventBatch, out: Uint8Array): void {
  const col = batch.columns[k.k === 'service' ? k.portKey : k.key];
  if (!col) {
    out.fill(0);
    return;
  }
  const v = col.values;
  switch (k.k) {
    case 'lut':
      if (v instanceof Uint8Array) lut8(v, k.lut, out);
      else if (v instanceof Uint16Array) lut16(v, k.lut, out);
      else if (v instanceof Uint32Array) lut32(v, k.lut, out);
      else throw new Error(`lookup table over the float column ${k.key}`);
      break;
    case 'service': {
      const protoCol = batch.columns.proto;
      if (!protoCol || !(v instanceof Uint16Array) || !(protoCol.values instanceof Uint8Array)) {
        out.fill(0);
        return;
      }
      service(v, protoCol.values, k.tcp, k.udp, out);
      applyValid(protoCol.valid, out);
      break;
    }
    case 'num':
      if (v instanceof Float64Array) compare64(v, k.op, k.nums, k.negate ? 1 : 0, out);
      else if (v instanceof Uint32Array) compare32(v, k.op, k.nums, k.negate ? 1 : 0, out);
      else throw new Error(`per-row comparison over the narrow column ${k.key}`);
      break;
    case 'bits':
      if (!(v instanceof Uint32Array)) throw new Error(`per-row bit test over the column ${k.key}`);
      bits32(v, k.mask, k.all, k.negate ? 1 : 0, out);
      break;
  }
  applyValid(col.valid, out);
}
