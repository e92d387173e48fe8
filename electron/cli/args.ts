import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

export type ArgValues = Record<string, string | boolean | string[] | undefined>;

/** parseArgs (strict, positionals allowed) with its errors turned into one-line UsageErrors. */
export function parseCommandArgs(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: ArgValues; positionals: string[] } {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: r.values as ArgValues, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
}
