import type { EventBatch } from '../store/batch.js';
import { andInto, countSet, invert, orInto } from './byte-ops.js';
import type { EventStore } from '../store/event-store.js';
import type { RowMask } from '../query/row-mask.js';
import type { FilterNode } from './ast.js';
import { makeKernel, type Kernel } from './kernels.js';
import { runKernel } from './run-kernel.js';

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
        invert(out);
        return;
      case 'and':
      case 'or': {
        evalNode(node.left, batch, out, depth);
        // The right side cannot change the batch's answer: skip it.
        const decided = node.type === 'and' ? out.indexOf(1) < 0 : out.indexOf(0) < 0;
        if (decided) return;
        const other = scratchAt(depth + 1, n);
        evalNode(node.right, batch, other, depth + 1);
        if (node.type === 'and') andInto(out, other);
        else orInto(out, other);
      }
    }
  };

  // Every node works in an aligned scratch buffer (word-wide and/or/not), then the batch's
  // answer is copied into place.
  store.batches.forEach((batch, b) => {
    const out = scratchAt(0, batch.length);
    evalNode(root, batch, out, 0);
    bits.set(out, store.batchStart[b]!);
  });
  return { bits, count: countSet(bits) };
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

