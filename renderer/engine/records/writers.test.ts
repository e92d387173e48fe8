import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const moduleUrl = (rel: string): string => JSON.stringify(fileURLToPath(new URL(rel, import.meta.url)));

/** Runs `script` (an ES module whose last line prints `… %HasFastProperties(x)`) in a child with V8's natives syntax; its printed words. */
function v8Verdict(script: string): string[] {
  // V8's own verdict, through its natives syntax (only a child process started with the flag has it).
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split(' ');
}

test('the column writers of the record decoders keep fast properties (a dictionary-mode object made each field a hash lookup)', () => {
  const [keys, written, fast] = v8Verdict(`
    const { writers } = await import(${moduleUrl('./header.js')});
    const { EventStore } = await import(${moduleUrl('../store/event-store.js')});
    const { STORED_FIELDS } = await import(${moduleUrl('../model/fields.js')});
    const keys = STORED_FIELDS.map((f) => f.key).filter((k) => k !== 'ts_ns' && k !== 'event');
    const w = writers(new EventStore().builder(0n), keys);
    console.log(keys.length, Object.keys(w).length, eval('%HasFastProperties(w)'));`);
  assert.ok(Number(keys) > 40);
  assert.equal(written, keys);
  assert.equal(fast, 'true');
});

test('the member offsets of a large record keep fast properties (wv_rec_packet’s 23 were a dictionary: a hash lookup per field per record)', () => {
  const [members, fast] = v8Verdict(`
    const { offsetsOf } = await import(${moduleUrl('./abi.js')});
    const { STRUCTS } = await import(${moduleUrl('./layout.gen.js')});
    const widths = Object.fromEntries(Object.entries(STRUCTS.wv_rec_packet.members).map(([k, m]) => [k, m.size]));
    const o = offsetsOf('wv_rec_packet', widths);
    console.log(Object.keys(o).length, eval('%HasFastProperties(o)'));`);
  assert.ok(Number(members) > 20);
  assert.equal(fast, 'true');
});
