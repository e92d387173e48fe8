import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the column writers of the record decoders keep fast properties (a dictionary-mode object made each field a hash lookup)', () => {
  const header = fileURLToPath(new URL('./header.js', import.meta.url));
  const store = fileURLToPath(new URL('../store/event-store.js', import.meta.url));
  const fields = fileURLToPath(new URL('../model/fields.js', import.meta.url));
  // V8's own verdict, through its natives syntax (only a child process started with the flag has it).
  const script = `
    const { writers } = await import(${JSON.stringify(header)});
    const { EventStore } = await import(${JSON.stringify(store)});
    const { STORED_FIELDS } = await import(${JSON.stringify(fields)});
    const keys = STORED_FIELDS.map((f) => f.key).filter((k) => k !== 'ts_ns' && k !== 'event');
    const w = writers(new EventStore().builder(0n), keys);
    console.log(keys.length, Object.keys(w).length, eval('%HasFastProperties(w)'));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [keys, written, fast] = r.stdout.trim().split(' ');
  assert.ok(Number(keys) > 40);
  assert.equal(written, keys);
  assert.equal(fast, 'true');
});
