import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir, fixturesDir } from '../../test/paths.js';
import { Engine } from './engine.js';
import { createImporter, detectInput } from './formats/detect.js';
import { createLazyDetectingImporter, ImporterLoader } from './formats/lazy-importers.js';
import { EventStore } from './store/event-store.js';
import { serveEngine, type EngineReply, type MessageEndpoint } from './worker.js';

/** A worker's endpoint in this thread: `send` delivers a request, `replies` collects the answers. */
function servedLazily(): { send: (data: unknown) => void; replies: EngineReply[]; settled: (count: number) => Promise<void> } {
  let listener: ((event: { data: unknown }) => void) | undefined;
  const replies: EngineReply[] = [];
  const endpoint: MessageEndpoint = {
    postMessage: (message) => void replies.push(message as EngineReply),
    addEventListener: (_type, l) => void (listener = l),
  };
  serveEngine(new Engine({ createImporter: createLazyDetectingImporter }), endpoint, new ImporterLoader());
  const settled = async (count: number): Promise<void> => {
    for (let i = 0; i < 1000 && replies.filter((r) => !('progress' in r)).length < count; i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { send: (data) => listener!(({ data }) as { data: unknown }), replies, settled };
}

/** Rows the eager importer (formats/detect.ts) makes of `bytes`. */
function eagerRows(bytes: Uint8Array, name: string): number {
  const store = new EventStore();
  const importer = createImporter(detectInput(bytes)!, store, name);
  importer.push(bytes);
  importer.end();
  return store.rowCount;
}

for (const [name, path] of [
  ['afs.pcap', join(corpusDir, 'afs.pcap')],
  ['network-sample.csv', join(fixturesDir, 'csv', 'network-sample.csv')],
] as const) {
  test(`the worker loads the importer for ${name} when its first bytes arrive, answering every request in order`, async () => {
    const bytes = new Uint8Array(readFileSync(path));
    const { send, replies, settled } = servedLazily();
    // A first chunk too short to tell the kind, then the rest; a query sent while the importer loads waits its turn.
    send({ id: 1, method: 'importChunk', arg: { chunk: bytes.slice(0, 10), name } });
    send({ id: 2, method: 'importChunk', arg: { chunk: bytes.slice(10), name } });
    send({ id: 3, method: 'importEnd', arg: {} });
    send({ id: 4, method: 'info', arg: {} });
    await settled(4);
    const answers = replies.filter((r) => !('progress' in r));
    assert.deepEqual(
      answers.map((r) => r.id),
      [1, 2, 3, 4],
    );
    for (const r of answers) assert.ok(!('error' in r), 'error' in r ? r.error.message : '');
    const end = answers[2] as { result: { rowCount: number } };
    assert.ok(end.result.rowCount > 0);
    assert.equal(end.result.rowCount, eagerRows(bytes, name));
  });
}

test('a file of no kind WireView reads gets the one-line error, with no importer loaded', async () => {
  const { send, replies, settled } = servedLazily();
  send({ id: 1, method: 'importChunk', arg: { chunk: new Uint8Array(20).fill(7), name: 'x.bin' } });
  send({ id: 2, method: 'importEnd', arg: {} });
  await settled(2);
  assert.deepEqual(replies[0], { id: 1, result: { rowCount: 0 } });
  assert.ok('error' in replies[1]! && replies[1].error.name === 'InputError' && replies[1].error.message.startsWith('x.bin: not a WireView trace'), JSON.stringify(replies[1]));
});
