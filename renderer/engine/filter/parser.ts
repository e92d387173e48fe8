import { InputError } from '../errors.js';
import type { FilterNode, LeafField, Test } from './ast.js';
import { KEYWORDS, WORD_OPERATORS } from './ast.js';
import { FILTER_FIELDS, FILTER_FIELD_NAMES, didYouMean, type FilterField } from './filter-fields.js';
import { tokenize, type Token } from './lexer.js';
import { makeTest, type Literal, type PositiveOp } from './values.js';

/**
 * Recursive descent over the tokens: `or` < `and` < `not` < comparison, parentheses group.
 * Fields and values are checked here, so a compiled filter cannot fail at evaluation time.
 * Returns undefined for an empty expression (a filter that keeps every row).
 */
export function parseFilter(text: string): FilterNode | undefined {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (t: Token, word: string): boolean => t.kind === 'word' && t.text.toLowerCase() === word;
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end' : `'${t.text}'`);

  if (peek().kind === 'end') return undefined;
  // Bounds that keep parsing and evaluation (both recursive) far from the stack's limit.
  let nesting = 0;
  let comparisons = 0;

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): FilterNode {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      next();
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  }

  function parseUnary(): FilterNode {
    const t = peek();
    if (isWord(t, 'not') || t.kind === '(') {
      if (++nesting > MAX_NESTING) throw new InputError(`expression nested too deeply (more than ${MAX_NESTING} levels)`, t.column);
      const node = parseNested(t);
      nesting--;
      return node;
    }
    if (++comparisons > MAX_COMPARISONS) throw new InputError(`too many comparisons (more than ${MAX_COMPARISONS})`, t.column);
    return parseComparison();
  }

  function parseNested(t: Token): FilterNode {
    next();
    if (t.kind !== '(') return { type: 'not', operand: parseUnary() };
    const inner = parseOr();
    const close = next();
    if (close.kind !== ')') throw new InputError(`expected ')' to close the '(' at column ${t.column}, found ${describe(close)}`, close.column);
    return inner;
  }

  function parseComparison(): FilterNode {
    const t = next();
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase())) {
      throw new InputError(`expected a field name, found ${describe(t)}`, t.column);
    }
    const field = FILTER_FIELDS.get(t.text);
    if (!field) throw new InputError(`unknown field '${t.text}'${didYouMean(t.text, FILTER_FIELD_NAMES)}`, t.column);

    let negate = false;
    let opToken = peek();
    if (isWord(opToken, 'not') && tokens[pos + 1]!.kind === 'word' && WORD_OPERATORS.has(tokens[pos + 1]!.text.toLowerCase())) {
      next();
      negate = true;
      opToken = peek();
    }
    const isOperator = opToken.kind === 'op' || (opToken.kind === 'word' && WORD_OPERATORS.has(opToken.text.toLowerCase()));
    if (!isOperator) {
      if (field.kind === 'bool') return { type: 'leaf', field, test: { t: 'bits', mask: field.mask, all: false }, negate: false };
      throw new InputError(`expected an operator after '${field.name}', found ${describe(opToken)}`, opToken.column);
    }
    next();
    let op = opToken.text.toLowerCase();
    if (op === '!=') {
      op = '=';
      negate = true;
    }
    const values = parseValues(op, field, opToken);
    return expand(field, op as PositiveOp, values, opToken.column, negate);
  }

  /** One value, or a list in parentheses where the operator takes one. */
  function parseValues(op: string, field: FilterField, opToken: Token): Literal[] {
    const t = peek();
    const takesList = op === 'in' || !['=', '~=', '<', '<=', '>', '>='].includes(op);
    if (t.kind === '(') {
      if (!takesList) throw new InputError(`'${opToken.text}' takes one value; use 'in' for a list`, t.column);
      next();
      const list: Literal[] = [];
      for (;;) {
        list.push(literal(next(), op, ','));
        const sep = next();
        if (sep.kind === ')') return list;
        if (sep.kind !== ',') throw new InputError(`expected ',' or ')' in the list, found ${describe(sep)}`, sep.column);
      }
    }
    const value = literal(next(), op, opToken.text);
    if (op === 'in' && !(isAddressField(field) && value.text.includes('/'))) {
      throw new InputError(isAddressField(field) ? `'in' needs a list or a CIDR` : `'in' needs a list in parentheses`, value.column);
    }
    return [value];
  }

  function literal(t: Token, op: string, after: string): Literal {
    const isValue = t.kind === 'string' || (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase()));
    if (!isValue) {
      if (after === ',') throw new InputError(`expected a value in the list after '${op}'`, t.column);
      throw new InputError(`expected a value after '${after}'`, t.column);
    }
    return { text: t.text, column: t.column, quoted: t.kind === 'string' };
  }

  const root = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const hint = rest.kind === ')' ? 'unmatched \')\'' : `unexpected ${describe(rest)}; expected 'and', 'or' or the end`;
    throw new InputError(hint, rest.column);
  }
  return root;
}

const MAX_NESTING = 200;
const MAX_COMPARISONS = 2000;

function isAddressField(field: FilterField): boolean {
  return field.kind === 'addr' || (field.kind === 'either' && field.parts[0].kind === 'addr');
}

/** A comparison as leaves; an alias becomes "either part" (and, negated, "has one and neither passes"). */
function expand(field: FilterField, op: PositiveOp, values: Literal[], opColumn: number, negate: boolean): FilterNode {
  if (field.kind !== 'either') {
    const { test, flip } = makeTest(field, op, values, opColumn);
    return { type: 'leaf', field, test, negate: negate !== flip };
  }
  const [a, b] = field.parts as [LeafField, LeafField];
  const ta = makeTest(a, op, values, opColumn);
  const tb = makeTest(b, op, values, opColumn);
  const either: FilterNode = { type: 'or', left: leaf(a, ta.test), right: leaf(b, tb.test) };
  if (!negate) return either;
  const has: Test = { t: 'has' };
  return { type: 'and', left: { type: 'or', left: leaf(a, has), right: leaf(b, has) }, right: { type: 'not', operand: either } };
}

const leaf = (field: LeafField, test: Test): FilterNode => ({ type: 'leaf', field, test, negate: false });
