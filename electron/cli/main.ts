import { InputError } from '../../renderer/engine/errors.js';
import { FileError } from '../services/input-file.js';
import { AtomicOutput } from '../services/output-file.js';
import { captureCommand } from './capture-command.js';
import { exportCommand } from './export-command.js';
import { flowsCommand } from './flows-command.js';
import { importCommand } from './import-command.js';
import { infoCommand } from './info-command.js';
import { serveCommand } from './serve-command.js';
import { HelperLaunchError } from '../services/helper-launcher.js';
import { USAGE, UsageError } from './usage.js';

type Command = (args: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  import: importCommand,
  info: infoCommand,
  export: exportCommand,
  flows: flowsCommand,
  capture: captureCommand,
  serve: serveCommand,
};

/** Commands that end cleanly on SIGINT/SIGTERM themselves (a capture completes its file). */
const HANDLES_SIGNALS = new Set(['capture', 'serve']);

/**
 * Runs one CLI invocation and returns the exit status: 0 success, 2 bad input or usage (one line
 * on stderr, no stack trace), 1 internal error (a bug: with its stack, so it can be reported).
 */
export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`wireview: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  const cleanup = (): void => {
    for (const out of AtomicOutput.open) out.abort();
    process.exit(130);
  };
  if (!HANDLES_SIGNALS.has(name)) {
    process.once('SIGINT', cleanup);
    process.once('SIGTERM', cleanup);
  }
  try {
    await command(rest);
    return 0;
  } catch (e) {
    for (const out of AtomicOutput.open) out.abort();
    if (e instanceof UsageError) {
      process.stderr.write(`wireview ${name}: ${e.message} (see wireview --help)\n`);
      return 2;
    }
    if (e instanceof FileError || e instanceof InputError || e instanceof HelperLaunchError) {
      process.stderr.write(`wireview ${name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`wireview ${name}: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', cleanup);
    process.off('SIGTERM', cleanup);
  }
}

