#!/usr/bin/env node
// Runs the compiled tests with Node's test runner: `node test/run.js [unit|integration|all] [filter]`.
// Unit tests sit beside their source (dist/renderer, dist/electron); integration tests in dist/test.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const which = process.argv[2] ?? 'all';
const filter = process.argv[3];
const roots = { unit: ['dist/renderer', 'dist/electron'], integration: ['dist/test'] };
const dirs = which === 'all' ? [...roots.unit, ...roots.integration] : roots[which];
if (!dirs) {
  console.error(`test/run.js: unknown suite ${which} (unit, integration, all)`);
  process.exit(2);
}

function walk(dir, out) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = dirs.flatMap((d) => walk(d, [])).filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error('test/run.js: no test files found; run `npm run build` first');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
