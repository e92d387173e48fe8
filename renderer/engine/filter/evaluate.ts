import type { EventBatch } from '../store/batch.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from '../query/row-mask.js';
import type { FilterNode } from './ast.js';
import { makeKernel, type Kernel } from './kernels.js';

/**
 * Evaluates a parsed filter over every batch of `store`, column by column: each leaf fills a byte
 * per row of the batch (lookup table or comparison over the typed array, then the validity
 * bitmap), and `and`/`or`/`not` combine those bytes. No object is made per row.
 */
export function evaluateTree(store: EventStore, root: FilterNode | undefined): RowMask {
  const bits = new Uint8Array(store.rowCount);
  if (!root) {
    bits.fill(1);
    return { bits, count: store.rowCount };
  }
  const kernels = new Map<FilterNode, Kernel>();
  prepare(store, root, kernels);
  const scratch: Uint8Array[] = [];
  const scratchAt = (depth: number, n: number): Uint8Array => {
    let s = scratch[depth];
    if (!s || s.length < n) {
      s = new Uint8Array(n);
      scratch[depth] = s;
    }
    return s.subarray(0, n);
  };

  const evalNode = (node: FilterNode, batch: EventBatch, out: Uint8Array, depth: number): void => {
    const n = out.length;
    switch (node.type) {
      case 'leaf':
        runKernel(kernels.get(node)!, batch, out);
        return;
      case 'not':
        evalNode(node.operand, batch, out, depth);
        for (let i = 0; i < n; i++) out[i] = out[i]! ^ 1;
        return;
      case 'and':
      case 'or': {
        evalNode(node.left, batch, out, depth);
        // The right side cannot change the batch's answer: skip it.
        const decided = node.type === 'and' ? out.indexOf(1) < 0 : out.indexOf(0) < 0;
        if (decided) return;
        const other = scratchAt(depth, n);
        evalNode(node.right, batch, other, depth + 1);
        if (node.type === 'and') for (let i = 0; i < n; i++) out[i] = out[i]! & other[i]!;
        else for (let i = 0; i < n; i++) out[i] = out[i]! | other[i]!;
      }
    }
  };

  let count = 0;
  store.batches.forEach((batch, b) => {
    const start = store.batchStart[b]!;
    const out = bits.subarray(start, start + batch.length);
    evalNode(root, batch, out, 0);
    for (let i = 0; i < out.length; i++) count += out[i]!;
  });
  return { bits, count };
}

function prepare(store: EventStore, node: FilterNode, kernels: Map<FilterNode, Kernel>): void {
  switch (node.type) {
    case 'leaf':
      kernels.set(node, makeKernel(store, node.field, node.test, node.negate));
      return;
    case 'not':
      prepare(store, node.operand, kernels);
      return;
    case 'and':
    case 'or':
      prepare(store, node.left, kernels);
      prepare(store, node.right, kernels);
  }
}

/** Fills `out` with 1 for the rows of `batch` that pass the kernel. */
function runKernel(k: Kernel, batch: EventBatch, out: Uint8Array): void {
  const n = out.length;
  const col = batch.columns[k.k === 'service' ? k.portKey : k.key];
  if (!col) {
    out.fill(0);
    return;
  }
  const v = col.values;
  switch (k.k) {
    case 'lut': {
      const lut = k.lut;
      for (let i = 0; i < n; i++) out[i] = lut[v[i]!]!;
      break;
    }
    case 'service': {
      const protoCol = batch.columns.proto;
      if (!protoCol) {
        out.fill(0);
        return;
      }
      const proto = protoCol.values;
      const { tcp, udp } = k;
      for (let i = 0; i < n; i++) {
        const p = proto[i]!;
        out[i] = p === 6 ? tcp[v[i]!]! : p === 17 ? udp[v[i]!]! : 0;
      }
      applyValid(protoCol.valid, out);
      break;
    }
    case 'num':
      compare(k, v, out);
      break;
    case 'bits': {
      const { mask, all } = k;
      const flip = k.negate ? 1 : 0;
      if (all) for (let i = 0; i < n; i++) out[i] = ((v[i]! & mask) === mask ? 1 : 0) ^ flip;
      else for (let i = 0; i < n; i++) out[i] = ((v[i]! & mask) !== 0 ? 1 : 0) ^ flip;
      break;
    }
  }
  applyValid(col.valid, out);
}

/** Per-row comparison of a wide number column; one loop per operator keeps the hot loop simple. */
function compare(k: Extract<Kernel, { k: 'num' }>, v: ArrayLike<number>, out: Uint8Array): void {
  const n = out.length;
  const c = k.nums[0] ?? 0;
  const flip = k.negate ? 1 : 0;
  switch (k.op) {
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
    case 'in': {
      const set = k.nums.length > 8 ? new Set(k.nums) : undefined;
      const list = k.nums;
      for (let i = 0; i < n; i++) out[i] = (set ? set.has(v[i]!) : list.includes(v[i]!) ? 1 : 0) ? 1 ^ flip : flip;
      return;
    }
  }
}

/** Clears the rows without a value (validity bit 0); a null bitmap means every row has one. */
function applyValid(valid: Uint8Array | null, out: Uint8Array): void {
  if (!valid) return;
  const n = out.length;
  for (let byte = 0; byte << 3 < n; byte++) {
    const bitsOfByte = valid[byte]!;
    if (bitsOfByte === 0xff) continue;
    const end = Math.min(n, (byte + 1) << 3);
    for (let i = byte << 3, bit = 1; i < end; i++, bit <<= 1) if ((bitsOfByte & bit) === 0) out[i] = 0;
  }
}
