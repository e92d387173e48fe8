/**
 * Every capture of tcpdump's test suite (real and deliberately malformed) is imported or refused
 * with a one-line InputError; nothing else is thrown, and no file takes over 5 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../renderer/engine/errors.js';
import { corpusDir } from '../paths.js';
import { importCapture } from './pcap-import-helpers.js';

test('every tcpdump test capture imports or is refused with an InputError', () => {
  const names = readdirSync(corpusDir);
  assert.ok(names.length >= 800, `corpus has ${names.length} files`);
  let imported = 0;
  let refused = 0;
  let truncated = 0;
  let events = 0;
  for (const name of names.sort()) {
    const bytes = new Uint8Array(readFileSync(join(corpusDir, name)));
    const started = performance.now();
    try {
      const store = importCapture(bytes, 4093);
      imported++;
      events += store.rowCount;
      if (store.meta.truncated) truncated++;
    } catch (e) {
      assert.ok(e instanceof InputError, `${name}: threw ${String(e)}`);
      assert.ok(!e.message.includes('\n') && e.message.length > 0, `${name}: message is one line`);
      refused++;
    }
    const ms = performance.now() - started;
    assert.ok(ms < 5000, `${name} took ${ms.toFixed(0)} ms`);
  }
  console.log(`corpus: ${names.length} files, ${imported} imported (${truncated} cut short), ${refused} refused, ${events} events`);
  assert.equal(imported + refused, names.length);
});
