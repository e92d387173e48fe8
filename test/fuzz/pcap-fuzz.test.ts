/**
 * Hostile input: corpus captures with about 2% of their bytes changed at random (as Wireshark's
 * fuzz-test.sh does with editcap -E 0.02), fed to the pcap/pcapng importer. Only success or an
 * InputError is allowed, each file finishes quickly, and memory stays bounded. A fixed seed makes
 * every run the same; the time budget bounds the run in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../renderer/engine/errors.js';
import { corpusDir } from '../paths.js';
import { importCapture } from '../formats/pcap-import-helpers.js';
import { mutate, rng } from './mutate.js';

const SEED = 0x5eed;
const BUDGET_MS = Number(process.env.WIREVIEW_FUZZ_MS ?? 30_000);
const ERROR_RATE = 0.02;
const PER_FILE_MS = 2000;
const HEAP_LIMIT = 1 << 30;

test('mutated corpus captures import or are refused, nothing else', () => {
  const rand = rng(SEED);
  const names = readdirSync(corpusDir)
    .filter((n) => /\.(pcap|pcapng)$/.test(n))
    .sort();
  const started = performance.now();
  let runs = 0;
  let refused = 0;
  let rounds = 0;
  while (performance.now() - started < BUDGET_MS) {
    rounds++;
    for (const name of names) {
      if (performance.now() - started >= BUDGET_MS) break;
      // Keep the magic number most of the time, so the mutations reach past the file header.
      const from = rand() < 0.9 ? 4 : 0;
      const bytes = mutate(new Uint8Array(readFileSync(join(corpusDir, name))), rand, ERROR_RATE, from);
      const t0 = performance.now();
      try {
        importCapture(bytes, 1 + Math.floor(rand() * 70000));
      } catch (e) {
        if (!(e instanceof InputError)) assert.fail(`${name} (round ${rounds}): ${e instanceof Error ? e.stack : String(e)}`);
        assert.ok(!e.message.includes('\n'), `${name}: one-line message`);
        refused++;
      }
      const ms = performance.now() - t0;
      assert.ok(ms < PER_FILE_MS, `${name} (round ${rounds}) took ${ms.toFixed(0)} ms`);
      runs++;
      if (runs % 200 === 0) {
        const heap = process.memoryUsage().heapUsed;
        assert.ok(heap < HEAP_LIMIT, `heap ${heap} bytes after ${runs} files`);
      }
    }
  }
  console.log(`fuzz: ${runs} mutated files in ${rounds} rounds, ${refused} refused, heap ${process.memoryUsage().heapUsed} bytes`);
  assert.ok(runs >= names.length, `only ${runs} files in the budget`);
});
