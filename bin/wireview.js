#!/usr/bin/env node
// Entry point of the `wireview` command; the CLI itself is compiled TypeScript in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/electron/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('wireview: not built yet; run `npm install` (or `npm run build`) in the repository first');
  process.exit(2);
}
const { run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
