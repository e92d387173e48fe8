import { InputError } from '../errors.js';

/**
 * Tokens of the filter language. Bare words carry field names, keywords, numbers, addresses,
 * CIDRs and names (`tcp`, `WARNING`, `sock.connect`); the parser decides what a word means from
 * where it stands and which field it compares with. Columns are 1-based, as errors report them.
 */
export type TokenKind = 'word' | 'string' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Unescaped text of a string, the word itself, or the operator (`=`, `!=`, `<=`…). */
  readonly text: string;
  readonly column: number;
}

/** Characters of a bare word: names with dots, numbers, IPv6 colons, CIDR slashes, flag lists `SYN|ACK`. */
const WORD_CHAR = /[A-Za-z0-9_.:/|-]/;
const OPERATORS = ['==', '!=', '<=', '>=', '~=', '=', '<', '>'] as const;

/** Splits `text` into tokens, ending with an `end` token whose column is one past the text. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const column = i + 1;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, column });
      i++;
    } else if (c === "'" || c === '"') {
      const { value, next } = readString(text, i);
      tokens.push({ kind: 'string', text: value, column });
      i = next;
    } else if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_CHAR.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), column });
      i = j;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new InputError(`unexpected character '${c}'`, column);
      tokens.push({ kind: 'op', text: op === '==' ? '=' : op, column });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

/**
 * Reads a quoted string starting at `start`. `\\`, `\'` and `\"` stand for the character; any other
 * backslash is kept with the character after it, so glob patterns can escape `*` and `?` (`'a\*b'`).
 */
function readString(text: string, start: number): { value: string; next: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, next: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const n = text[i + 1]!;
      value += n === '\\' || n === "'" || n === '"' ? n : c + n;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  throw new InputError('unterminated string', start + 1);
}
