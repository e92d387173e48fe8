import type { TextOp } from './ast.js';

/**
 * Text tests of the filter language as plain functions of one string. They run once per
 * dictionary entry (never per row), so clarity wins over speed here.
 */
export function textPredicate(op: TextOp, patterns: readonly string[]): (s: string) => boolean {
  const lower = patterns.map((p) => p.toLowerCase());
  switch (op) {
    case '=':
    case 'in': {
      const set = new Set(patterns);
      return (s) => set.has(s);
    }
    case '~=': {
      const set = new Set(lower);
      return (s) => set.has(s.toLowerCase());
    }
    case 'contains':
      return (s) => patterns.some((p) => s.includes(p));
    case 'icontains':
      return (s) => lower.some((p) => s.toLowerCase().includes(p));
    case 'startswith':
      return (s) => patterns.some((p) => s.startsWith(p));
    case 'istartswith':
      return (s) => lower.some((p) => s.toLowerCase().startsWith(p));
    case 'endswith':
      return (s) => patterns.some((p) => s.endsWith(p));
    case 'iendswith':
      return (s) => lower.some((p) => s.toLowerCase().endsWith(p));
    case 'matches': {
      const globs = patterns.map(compileGlob);
      return (s) => globs.some((g) => globMatch(g, s));
    }
    case 'imatches': {
      const globs = lower.map(compileGlob);
      return (s) => globs.some((g) => globMatch(g, s.toLowerCase()));
    }
  }
}

/** A glob as a list of parts: a literal character, `?` (any one) or `*` (any run, empty included). */
type GlobPart = { readonly any: '*' | '?' } | { readonly ch: string };

function compileGlob(pattern: string): GlobPart[] {
  const parts: GlobPart[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) parts.push({ ch: pattern[++i]! });
    else if (c === '*' || c === '?') parts.push({ any: c });
    else parts.push({ ch: c });
  }
  return parts;
}

/** Whole-string glob match; on a mismatch it backtracks to the last `*` only (linear in practice). */
export function globMatch(glob: readonly GlobPart[], s: string): boolean {
  let g = 0;
  let i = 0;
  let starG = -1;
  let starI = 0;
  while (i < s.length) {
    const part = glob[g];
    if (part && 'any' in part && part.any === '*') {
      starG = g++;
      starI = i;
    } else if (part && ('any' in part || part.ch === s[i])) {
      g++;
      i++;
    } else if (starG >= 0) {
      g = starG + 1;
      i = ++starI;
    } else {
      return false;
    }
  }
  while (g < glob.length) {
    const part = glob[g]!;
    if (!('any' in part) || part.any !== '*') return false;
    g++;
  }
  return true;
}
