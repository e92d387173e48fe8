import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir } from '../../../test/paths.js';
import { InputError } from '../errors.js';
import { EventStore } from '../store/event-store.js';
import { createDetectingImporter, createImporter, detectInput } from './detect.js';

test('the detecting importer reads the same rows whatever the chunk boundaries', () => {
  const bytes = readFileSync(join(corpusDir, 'afs.pcap'));
  const direct = new EventStore();
  const plain = createImporter(detectInput(bytes)!, direct, 'afs.pcap');
  plain.push(bytes);
  plain.end();
  for (const size of [1, 7, 64, 4096]) {
    const store = new EventStore();
    const importer = createDetectingImporter(store, 'afs.pcap');
    for (let at = 0; at < bytes.length; at += size) importer.push(bytes.subarray(at, at + size));
    importer.end();
    assert.equal(store.rowCount, direct.rowCount, `chunks of ${size} bytes`);
  }
  assert.ok(direct.rowCount > 0);
});

test('the detecting importer refuses unknown input, short or long, and takes empty input', () => {
  for (const input of [new TextEncoder().encode('hello'), new Uint8Array(1000).fill(7)]) {
    const importer = createDetectingImporter(new EventStore(), 'x.bin');
    assert.throws(() => {
      importer.push(input);
      importer.end();
    }, (e: unknown) => e instanceof InputError && /x\.bin: not a WireView trace/.test(e.message));
  }
  // A name not known yet (the page's early read of the host's file): the message starts with what is wrong.
  assert.throws(() => createDetectingImporter(new EventStore(), '').push(new Uint8Array(1000).fill(7)), (e: unknown) => e instanceof InputError && e.message.startsWith('not a WireView trace'));
  const empty = new EventStore();
  createDetectingImporter(empty, 'empty').end();
  assert.equal(empty.rowCount, 0);
});
