import { cidrContains } from '../net/address.js';
import { EVENTS, PRIORITIES } from '../model/events.js';
import type { EventStore } from '../store/event-store.js';
import type { LeafField, NumOp, Test } from './ast.js';
import { serviceTable } from './service-table.js';
import { textPredicate } from './text-match.js';

/**
 * A leaf made ready for one store: what the row loop runs. Every test on a column of small
 * numbers (u8/u16, dictionary ids, address ids, event indexes) becomes a lookup table computed
 * once per entry, so string, CIDR and DNS-name work never happens per row. Only u32/f64 numbers
 * (pids, sequence numbers, times) are compared per row.
 */
export type Kernel =
  /** Row passes when the column has a value and `lut[value]` is 1 (negation already folded in). */
  | { readonly k: 'lut'; readonly key: string; readonly lut: Uint8Array }
  /** Service names: the table of the row's protocol (TCP or UDP) indexed by the port. */
  | { readonly k: 'service'; readonly portKey: string; readonly tcp: Uint8Array; readonly udp: Uint8Array }
  /** Per-row comparison of a wide number column; `negate` flips the result for rows with a value. */
  | { readonly k: 'num'; readonly key: string; readonly op: NumOp | 'has'; readonly nums: Float64Array; readonly negate: boolean }
  | { readonly k: 'bits'; readonly key: string; readonly mask: number; readonly all: boolean; readonly negate: boolean };

const passNum = (op: NumOp, nums: readonly number[], v: number): boolean => {
  switch (op) {
    case '=':
      return v === nums[0];
    case '<':
      return v < nums[0]!;
    case '<=':
      return v <= nums[0]!;
    case '>':
      return v > nums[0]!;
    case '>=':
      return v >= nums[0]!;
    case 'in':
      return nums.includes(v);
  }
};

const passBits = (mask: number, all: boolean, v: number): boolean => (all ? (v & mask) === mask : (v & mask) !== 0);

/** Fills a lookup table of `size` entries: 1 where the entry has a value and passes (or fails, negated). */
function table(size: number, has: (i: number) => boolean, pass: (i: number) => boolean, negate: boolean): Uint8Array {
  const lut = new Uint8Array(size);
  for (let i = 0; i < size; i++) lut[i] = has(i) && pass(i) !== negate ? 1 : 0;
  return lut;
}

/** How one value (a number, optionally with a name) passes a test, for numbered lookup tables. */
function numberPass(test: Test, name: (v: number) => string): (v: number) => boolean {
  switch (test.t) {
    case 'num':
      return (v) => passNum(test.op, test.nums, v);
    case 'bits':
      return (v) => passBits(test.mask, test.all, v);
    case 'text': {
      const p = textPredicate(test.op, test.strs);
      return (v) => p(name(v));
    }
    case 'has':
      return () => true;
    case 'time':
    case 'cidr':
      throw new Error(`a ${test.t} test on a number field`);
  }
}

const noName = (v: number): string => String(v);

export function makeKernel(store: EventStore, field: LeafField, test: Test, negate: boolean): Kernel {
  switch (field.kind) {
    case 'number':
    case 'bool': {
      const names = field.kind === 'number' && field.names?.style === 'enum' ? field.names.format : noName;
      if (field.storage === 'u8' || field.storage === 'u16') {
        const pass = numberPass(test, names);
        return { k: 'lut', key: field.key, lut: table(field.storage === 'u8' ? 256 : 65536, () => true, pass, negate) };
      }
      if (test.t === 'bits') return { k: 'bits', key: field.key, mask: test.mask, all: test.all, negate };
      if (test.t === 'num') return { k: 'num', key: field.key, op: test.op, nums: Float64Array.from(test.nums), negate };
      if (test.t === 'has') return { k: 'num', key: field.key, op: 'has', nums: new Float64Array(0), negate };
      throw new Error(`a ${test.t} test on the wide number field ${field.name}`);
    }
    case 'time': {
      if (test.t !== 'time' && test.t !== 'has') throw new Error(`a ${test.t} test on a time field`);
      if (test.t === 'has') return { k: 'num', key: 'ts_ns', op: 'has', nums: new Float64Array(0), negate };
      // Columns hold ns since the store's base; wall-clock literals also drop the trace's wall offset.
      const base = (store.baseNs ?? 0n) + (field.wall ? store.meta.wallOffsetNs : 0n);
      return { k: 'num', key: 'ts_ns', op: test.op, nums: Float64Array.from(test.ns, (ns) => Number(ns - base)), negate };
    }
    case 'event': {
      let pass: (i: number) => boolean;
      if (field.part === 'priority') {
        const p = numberPass(test, (n) => PRIORITIES[n - 1] ?? String(n));
        pass = (i) => p(EVENTS[i]!.priority);
      } else {
        const p = textPass(test);
        pass = field.part === 'name' ? (i) => p(EVENTS[i]!.id) : (i) => p(EVENTS[i]!.class);
      }
      return { k: 'lut', key: 'event', lut: table(EVENTS.length, () => true, pass, negate) };
    }
    case 'text': {
      const strings = store.dicts.strings(field.key).all();
      const pass = textPass(test);
      return { k: 'lut', key: field.key, lut: table(strings.length, () => true, (i) => pass(strings[i]!), negate) };
    }
    case 'addr': {
      const addrs = store.dicts.addrs;
      let pass: (id: number) => boolean;
      if (test.t === 'cidr') pass = (id) => test.nets.some((net) => cidrContains(net, addrs.version(id), addrs.bytesOf(id)));
      else {
        const p = textPass(test);
        pass = (id) => p(addrs.text(id));
      }
      return { k: 'lut', key: field.key, lut: table(addrs.size, () => true, pass, negate) };
    }
    case 'names': {
      const addrs = store.dicts.addrs;
      const p = textPass(test);
      const names = (id: number): readonly string[] => store.dns.namesOf(id);
      return { k: 'lut', key: field.key, lut: table(addrs.size, (id) => names(id).length > 0, (id) => names(id).some(p), negate) };
    }
    case 'service': {
      const p = textPass(test);
      const forProto = (proto: 6 | 17): Uint8Array => {
        const { ids, names } = serviceTable(proto);
        // Decide once per distinct service name, then spread over the ports.
        const nameLut = table(names.length, (n) => names[n] !== '', (n) => p(names[n]!), negate);
        return Uint8Array.from(ids, (n) => nameLut[n]!);
      };
      return { k: 'service', portKey: field.key, tcp: forProto(6), udp: forProto(17) };
    }
  }
}

/** A text test (or `has`) as a predicate of one string. */
function textPass(test: Test): (s: string) => boolean {
  if (test.t === 'has') return () => true;
  if (test.t !== 'text') throw new Error(`a ${test.t} test on a text field`);
  return textPredicate(test.op, test.strs);
}
