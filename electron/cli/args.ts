import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

/** parseArgs with errors turned into UsageError lines. */
export function parseCommandArgs<T extends Parameters<typeof parseArgs>[0]['options']>(
  args: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: options ?? {}, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
}
