// A node:test reporter for in-vm.sh: after the run, the time each test file took (the sum of its
// top-level tests, which run one at a time) with its counts, so that a slow file is named.
import { basename } from 'node:path';

export default async function* fileTimes(source) {
  const files = new Map();
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0) continue;
    const name = event.data.file ? basename(event.data.file, '.test.js') : '(unknown file)';
    const file = files.get(name) ?? { ms: 0, pass: 0, fail: 0, skip: 0 };
    file.ms += event.data.details?.duration_ms ?? 0;
    if (event.data.skip !== undefined) file.skip++;
    else if (event.type === 'test:pass') file.pass++;
    else file.fail++;
    files.set(name, file);
  }
  yield '\n== time per test file (sum of its tests)\n';
  let total = 0;
  for (const [name, { ms, pass, fail, skip }] of files) {
    total += ms;
    yield `${name.padEnd(16)} ${(ms / 1000).toFixed(0).padStart(5)} s  ${pass} pass${fail ? `, ${fail} FAILED` : ''}${skip ? `, ${skip} skipped` : ''}\n`;
  }
  yield `${'all files'.padEnd(16)} ${(total / 1000).toFixed(0).padStart(5)} s\n`;
}
