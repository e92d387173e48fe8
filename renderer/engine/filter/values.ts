import { InputError } from '../errors.js';
import { CLASSES, EVENT_INDEX } from '../model/events.js';
import { parseAddress, parseCidr } from '../net/address.js';
import type { NumOp, Test, TextOp } from './ast.js';
import { PRIORITY_NAMES, didYouMean, type FilterField, type NumberNames } from './filter-fields.js';

/** One literal as written: its text (unescaped when quoted), where it starts, whether it was quoted. */
export interface Literal {
  readonly text: string;
  readonly column: number;
  readonly quoted: boolean;
}

/** The operator as parsed, `!=` and `not …` already turned into a positive operator plus negation. */
export type PositiveOp = NumOp | TextOp;

const ORDER_OPS = new Set<PositiveOp>(['<', '<=', '>', '>=']);
const TEXT_ONLY_OPS = new Set<PositiveOp>(['~=', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'matches', 'imatches']);

/**
 * Checks the values written after `op` against the field and turns them into a leaf test.
 * `flip` is true when the test reads the other way round (`tcp.flags.syn = false`).
 * `list` says the values were written in parentheses (only `in` and the text operators take a list).
 */
export function makeTest(field: FilterField, op: PositiveOp, values: readonly Literal[], opColumn: number): { test: Test; flip: boolean } {
  const first = values[0]!;
  const fail = (message: string, column = first.column): never => {
    throw new InputError(message, column);
  };
  const notFor = (what: string): never => fail(`'${op}' does not apply to ${what} field '${field.name}'`, opColumn);
  switch (field.kind) {
    case 'number':
      if (TEXT_ONLY_OPS.has(op)) {
        if (op === 'contains' && field.names?.style === 'flags') return { test: { t: 'bits', mask: values.map((v) => numberOf(v, field.name, field.names)).reduce((a, b) => a | b, 0), all: true }, flip: false };
        if (field.names?.style === 'enum') return { test: { t: 'text', op: op as TextOp, strs: values.map((v) => v.text) }, flip: false };
        return notFor('number');
      }
      return { test: { t: 'num', op: op as NumOp, nums: values.map((v) => numberOf(v, field.name, field.names)) }, flip: false };
    case 'bool': {
      if (op !== '=') return notFor('boolean');
      const word = first.text.toLowerCase();
      if (!['true', 'false', '1', '0'].includes(word)) fail(`expected true or false for '${field.name}', found '${first.text}'`);
      return { test: { t: 'bits', mask: field.mask, all: false }, flip: word === 'false' || word === '0' };
    }
    case 'time':
      if (TEXT_ONLY_OPS.has(op)) return notFor('time');
      return { test: { t: 'time', op: op as NumOp, ns: values.map((v) => (field.wall ? wallNs(v) : integerNs(v, field.name))) }, flip: false };
    case 'event':
      if (field.part === 'priority') {
        if (TEXT_ONLY_OPS.has(op)) return { test: { t: 'text', op: op as TextOp, strs: values.map((v) => v.text) }, flip: false };
        return { test: { t: 'num', op: op as NumOp, nums: values.map((v) => numberOf(v, field.name, PRIORITY_NAMES)) }, flip: false };
      }
      if (ORDER_OPS.has(op)) return notFor('text');
      if (op === '=' || op === 'in') {
        const known = field.part === 'name' ? [...EVENT_INDEX.keys()] : CLASSES;
        for (const v of values) {
          if (!known.includes(v.text as never)) fail(`unknown ${field.part === 'name' ? 'event' : 'class'} '${v.text}'${didYouMean(v.text, known)}`, v.column);
        }
      }
      return { test: { t: 'text', op: op as TextOp, strs: values.map((v) => v.text) }, flip: false };
    case 'addr':
      if (ORDER_OPS.has(op)) return notFor('address');
      if (op === '=' || op === 'in') return { test: { t: 'cidr', nets: values.map((v) => networkOf(v, op)) }, flip: false };
      return { test: { t: 'text', op: op as TextOp, strs: values.map((v) => v.text) }, flip: false };
    case 'text':
    case 'names':
    case 'service':
      if (ORDER_OPS.has(op)) return notFor('text');
      return { test: { t: 'text', op: op as TextOp, strs: values.map((v) => v.text) }, flip: false };
    case 'either':
      throw new Error('aliases are expanded before their values are checked');
  }
}

/** A number literal (decimal, 0x hex, negative, fraction) or a name the field knows. */
function numberOf(v: Literal, fieldName: string, names: NumberNames | undefined): number {
  if (!v.quoted && /^-?(\d+(\.\d+)?|0x[0-9a-f]+)$/i.test(v.text)) {
    return v.text.startsWith('-') ? -Number(v.text.slice(1)) : Number(v.text);
  }
  const named = names?.parse(v.text);
  if (named !== undefined) return named;
  const hint = names ? ` (names: ${names.examples})` : '';
  throw new InputError(`expected a number for '${fieldName}', found '${v.text}'${hint}`, v.column);
}

function integerNs(v: Literal, fieldName: string): bigint {
  if (!/^-?\d+$/.test(v.text)) throw new InputError(`expected a time in ns for '${fieldName}', found '${v.text}'`, v.column);
  return BigInt(v.text);
}

/** `2024-05-01T12:00:00.123456Z` (seconds and zone optional, fractions to ns) as Unix-epoch ns. */
function wallNs(v: Literal): bigint {
  const m = /^(\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)?$/i.exec(v.text);
  const ms = m ? Date.parse(`${m[1]!.replace(' ', 'T')}${m[1]!.length > 10 ? '' : 'T00:00'}${m[3] ?? 'Z'}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new InputError(`expected an ISO-8601 time such as '2024-05-01T12:00:00.5Z', found '${v.text}'`, v.column);
  const fraction = (m[2] ?? '.').slice(1).padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(fraction);
}

function networkOf(v: Literal, op: PositiveOp): ReturnType<typeof parseCidr> & object {
  const net = parseCidr(v.text);
  if (!net) throw new InputError(`'${v.text}' is not an IP address${op === 'in' ? ' or CIDR' : ''}`, v.column);
  if (op === '=' && !parseAddress(v.text)) throw new InputError(`'=' compares with one address; use 'in' for a CIDR`, v.column);
  return net;
}
