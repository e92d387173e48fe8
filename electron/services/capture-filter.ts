/**
 * One language for capture and display: a view-filter expression given to a capture is split in
 * two. The top-level AND-ed terms the kernel can apply exactly (event name/class/priority, source
 * and destination address, ports, pid, comm) narrow the CaptureFilter written into the BPF maps;
 * the whole expression is then applied to every batch before it is written, so the kernel only
 * ever has to keep a superset of what the expression keeps.
 *
 * The kernel's rules are wider than the language in known ways — events without addresses or
 * ports are not narrowed by address/port rules, and several rules of one kind match when any
 * does — which is why only one address term and one port term are pushed, and why the batch
 * filter always runs.
 */
import { EVENTS } from '../../renderer/engine/model/events.js';
import type { StoredFieldKey } from '../../renderer/engine/model/fields.js';
import type { FilterNode } from '../../renderer/engine/filter/ast.js';
import { evaluateTree } from '../../renderer/engine/filter/evaluate.js';
import { formatIPv4, formatIPv6 } from '../../renderer/engine/net/address.js';
import { BatchBuilder } from '../../renderer/engine/store/batch-builder.js';
import { batchEvents, batchTimes, columnValue, hasValue, type EventBatch } from '../../renderer/engine/store/batch.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { selectedEvents, type AddressRule, type CaptureFilter, type PortRule } from '../native/capture-config.js';

export interface PushDown {
  /** The capture filter with the pushed terms folded in. */
  readonly filter: CaptureFilter;
  /** What was pushed, for the trace's metadata and the user (`events`, `addrs`, `ports`, `pids`, `comms`). */
  readonly pushed: readonly string[];
}

/** The AND-ed terms at the top of a tree. */
function conjuncts(node: FilterNode | undefined, out: FilterNode[] = []): FilterNode[] {
  if (!node) return out;
  if (node.type === 'and') {
    conjuncts(node.left, out);
    conjuncts(node.right, out);
  } else out.push(node);
  return out;
}

/** The leaves of a term made of OR-ed leaves only (`net.port = 80` is `sport = 80 or dport = 80`); else undefined. */
function orLeaves(node: FilterNode): Extract<FilterNode, { type: 'leaf' }>[] | undefined {
  if (node.type === 'leaf') return [node];
  if (node.type !== 'or') return undefined;
  const left = orLeaves(node.left);
  const right = orLeaves(node.right);
  return left && right ? [...left, ...right] : undefined;
}

function onlyEventFields(node: FilterNode): boolean {
  switch (node.type) {
    case 'leaf':
      return node.field.kind === 'event';
    case 'not':
      return onlyEventFields(node.operand);
    default:
      return onlyEventFields(node.left) && onlyEventFields(node.right);
  }
}

/** A store holding one row per catalog event: event-only terms are evaluated on it, exactly. */
let catalogStore: EventStore | undefined;
function catalog(): EventStore {
  if (catalogStore) return catalogStore;
  const store = new EventStore();
  const b = store.builder(0n, EVENTS.length);
  EVENTS.forEach((_e, i) => b.addRow(0, i));
  store.append(b.finish()!);
  return (catalogStore = store);
}

function eventsKeptBy(term: FilterNode): Set<number> {
  const mask = evaluateTree(catalog(), term);
  const out = new Set<number>();
  mask.bits.forEach((bit, i) => bit && out.add(i));
  return out;
}

function addressRules(term: FilterNode): AddressRule[] | undefined {
  const leaves = orLeaves(term);
  if (!leaves) return undefined;
  const rules: AddressRule[] = [];
  for (const leaf of leaves) {
    if (leaf.negate || leaf.test.t !== 'cidr' || (leaf.field.name !== 'net.sip' && leaf.field.name !== 'net.dip')) return undefined;
    for (const net of leaf.test.nets) {
      const text = net.version === 4 ? formatIPv4(net.bytes) : formatIPv6(net.bytes);
      rules.push({ type: leaf.field.name === 'net.sip' ? 'src' : 'dst', direction: 'both', cidr: `${text}/${net.prefix}` });
    }
  }
  return rules.length > 0 && rules.length <= 16 ? rules : undefined;
}

/** The port range a comparison keeps, or undefined when it keeps no port at all. */
function portRange(op: string, n: number): [number, number] | undefined {
  let lo = 0;
  let hi = 65535;
  if (op === '=') [lo, hi] = Number.isInteger(n) ? [n, n] : [1, 0];
  else if (op === '<') hi = Math.ceil(n) - 1;
  else if (op === '<=') hi = Math.floor(n);
  else if (op === '>') lo = Math.floor(n) + 1;
  else if (op === '>=') lo = Math.ceil(n);
  lo = Math.max(lo, 0);
  hi = Math.min(hi, 65535);
  return lo <= hi ? [lo, hi] : undefined;
}

function portRules(term: FilterNode): PortRule[] | undefined {
  const leaves = orLeaves(term);
  if (!leaves) return undefined;
  const rules: PortRule[] = [];
  for (const leaf of leaves) {
    if (leaf.negate || leaf.test.t !== 'num' || (leaf.field.name !== 'net.sport' && leaf.field.name !== 'net.dport')) return undefined;
    const type = leaf.field.name === 'net.sport' ? 'src' : 'dst';
    const op = leaf.test.op === 'in' ? '=' : leaf.test.op;
    for (const n of leaf.test.nums) {
      const range = portRange(op, n);
      if (range) rules.push({ type, direction: 'both', from: range[0], to: range[1] });
    }
  }
  // No port can match: leave the kernel alone (an empty rule list would mean "every port").
  return rules.length > 0 && rules.length <= 16 ? rules : undefined;
}

function pidList(term: FilterNode): number[] | undefined {
  if (term.type !== 'leaf' || term.negate || term.field.name !== 'ps.pid' || term.test.t !== 'num') return undefined;
  if (term.test.op !== '=' && term.test.op !== 'in') return undefined;
  const pids = term.test.nums.filter((n) => Number.isInteger(n) && n >= 1 && n <= 0x3fffffff);
  return pids.length > 0 && pids.length <= 1024 ? pids : undefined;
}

function commList(term: FilterNode): string[] | undefined {
  if (term.type !== 'leaf' || term.negate || term.field.name !== 'ps.comm' || term.test.t !== 'text') return undefined;
  if (term.test.op !== '=' && term.test.op !== 'in') return undefined;
  const comms = term.test.strs;
  // The kernel keeps 15 bytes of a comm: a longer name never equals one, so nothing exact to push.
  const fits = comms.every((c) => {
    const n = new TextEncoder().encode(c).length;
    return n >= 1 && n <= 15;
  });
  return fits && comms.length > 0 && comms.length <= 256 ? [...comms] : undefined;
}

/**
 * Folds the kernel-applicable terms of `root` into `base`. Options the user set explicitly on
 * `base` (addrs, ports, pids, comms) are kept as they are: the expression narrows them only after
 * capture, never by widening the kernel's rules.
 */
export function pushDownFilter(base: CaptureFilter, root: FilterNode | undefined): PushDown {
  const pushed: string[] = [];
  let filter: CaptureFilter = base;
  let events: Set<number> | undefined;
  for (const term of conjuncts(root)) {
    if (onlyEventFields(term)) {
      const kept = eventsKeptBy(term);
      events = events ? new Set([...events].filter((e) => kept.has(e))) : kept;
      continue;
    }
    const addrs = !filter.addrs?.length ? addressRules(term) : undefined;
    if (addrs) {
      filter = { ...filter, addrs };
      pushed.push('addrs');
      continue;
    }
    const ports = !filter.ports?.length ? portRules(term) : undefined;
    if (ports) {
      filter = { ...filter, ports };
      pushed.push('ports');
      continue;
    }
    const pids = !filter.pids?.length ? pidList(term) : undefined;
    if (pids) {
      filter = { ...filter, pids };
      pushed.push('pids');
      continue;
    }
    const comms = !filter.comms?.length ? commList(term) : undefined;
    if (comms) {
      filter = { ...filter, comms };
      pushed.push('comms');
    }
  }
  const allowed = events;
  if (allowed) {
    const chosen = selectedEvents(base).filter((e) => allowed.has(e));
    // Every event named one by one: the catalog's class/priority rule no longer applies.
    const { priority: _p, disable: _d, ...rest } = filter;
    filter = { ...rest, classes: [], enable: chosen.map((e) => EVENTS[e]!.id) };
    pushed.unshift('events');
  }
  return { filter, pushed };
}

/** A store that shows one batch of `owner` (same dictionaries and DNS names), to evaluate a filter on it. */
export function singleBatchView(owner: EventStore, batch: EventBatch): EventStore {
  const view = Object.create(EventStore.prototype) as EventStore;
  Object.assign(view, {
    dicts: owner.dicts,
    dns: owner.dns,
    meta: owner.meta,
    batches: [batch],
    batchStart: [0],
    rowCount: batch.length,
    baseNs: batch.baseNs,
  });
  return view;
}

/** The rows of `batch` whose byte in `keep` is 1, as a new sealed batch (undefined when none). */
export function keepRows(owner: EventStore, batch: EventBatch, keep: Uint8Array, count: number): EventBatch | undefined {
  if (count === 0) return undefined;
  if (count === batch.length) return batch;
  const rows = new Uint32Array(count);
  for (let r = 0, k = 0; r < batch.length; r++) if (keep[r]) rows[k++] = r;
  const b = new BatchBuilder(owner.dicts, batch.baseNs, count);
  const ts = batchTimes(batch);
  const ev = batchEvents(batch);
  for (const r of rows) b.addRow(ts[r]!, ev[r]!);
  for (const [key, col] of Object.entries(batch.columns)) {
    if (!col || key === 'ts_ns' || key === 'event') continue;
    const w = b.col(key as StoredFieldKey);
    rows.forEach((r, i) => {
      if (hasValue(col, r)) w.set(i, columnValue(col, r));
    });
  }
  return b.finish();
}
