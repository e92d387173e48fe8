#!/usr/bin/env node
/**
 * The capture's floor, for the bench: the privileged helper capturing core events at INFO, its
 * stdout read as the CLI reads it (launchHelper: one reused 1 MiB buffer) and thrown away. What
 * remains is what no work in the CLI can remove: the BPF programs on the traffic's own threads, the
 * helper's drain of the ring buffer and its writes to the pipe. Prints `ready` on stderr once the
 * capture runs; SIGINT or SIGTERM ends it. As root: `node dist/test/bench/helper-discard.js`.
 */
import { HELPER_ENTRY, launchHelper } from '../../electron/services/helper-launcher.js';

let announced = false;
const helper = launchHelper({ mode: 'direct', command: process.execPath, args: [HELPER_ENTRY] }, () => {
  // The first bytes after `start` are its reply: the programs are attached from here on.
  if (!announced) {
    announced = true;
    process.stderr.write('ready\n');
  }
});
helper.stderr.pipe(process.stderr);
helper.on('exit', (code) => process.exit(code ?? 0));
helper.stdin.write(JSON.stringify({ id: 1, cmd: 'start', filter: { classes: ['core'], priority: 'INFO' }, options: {} }) + '\n');
const stop = (): void => {
  helper.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
