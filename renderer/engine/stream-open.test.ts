import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { test } from 'node:test';
import { corpusDir } from '../../test/paths.js';
import { Engine } from './engine.js';
import { createDetectingImporter } from './formats/detect.js';
import { BLOCK_BYTES, importBody } from './stream-open.js';
import { serveEngine, type EngineReply, type MessageEndpoint } from './worker.js';

const PCAP = readFileSync(join(corpusDir, 'afs.pcap'));
const freshEngine = (): Engine => new Engine({ createImporter: createDetectingImporter });

/** A stream handing out `bytes` in pieces of `piece` bytes (as a network read does). */
function pieces(bytes: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

test('small pieces, gathered into blocks, import the same rows as the whole file', async () => {
  const whole = freshEngine();
  whole.importChunk({ chunk: PCAP, name: 'afs.pcap' });
  whole.importEnd();
  const engine = freshEngine();
  const seen: number[] = [];
  const result = await importBody(engine, 'afs.pcap', pieces(PCAP, 1000), (n) => seen.push(n));
  assert.equal(result.rowCount, whole.store.rowCount);
  assert.equal(result.bytes, PCAP.length);
  assert.deepEqual(engine.info().byEvent, whole.info().byEvent);
  // One progress step per block, the last one at the end of the file.
  assert.equal(seen.length, Math.ceil(PCAP.length / BLOCK_BYTES));
  assert.equal(seen.at(-1), PCAP.length);
});

test('a damaged input stops the reading with the importer error and its offset', async () => {
  const bad = new Uint8Array(PCAP);
  bad.fill(0x41, 0, 4); // no pcap magic
  let cancelled = false;
  // Endless: only the refusal of the first block ends the reading.
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(bad.slice(0, 64 << 10));
    },
    cancel() {
      cancelled = true;
    },
  });
  await assert.rejects(importBody(freshEngine(), 'bad.pcap', body, () => undefined), (e: Error & { offset?: number }) => /bad\.pcap: not a WireView trace/.test(e.message) && e.offset === 0);
  assert.ok(cancelled, 'the stream was cancelled');
});

/** Posts one request to an engine served on a MessagePort and collects its replies until the last. */
function ask(port: MessagePort, request: unknown): Promise<EngineReply[]> {
  const replies: EngineReply[] = [];
  return new Promise((resolve) => {
    const onMessage = (event: Event): void => {
      const reply = (event as MessageEvent).data as EngineReply;
      replies.push(reply);
      if (!('progress' in reply)) {
        port.removeEventListener('message', onMessage);
        resolve(replies);
      }
    };
    port.addEventListener('message', onMessage);
    port.postMessage(request);
  });
}

test('worker protocol: `open` of a Blob sends progress, then the result; queries after it see the rows; bad arguments are refused', async () => {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  port2.start();
  serveEngine(freshEngine(), port1 as unknown as MessageEndpoint);
  try {
    const opening = ask(port2, { id: 1, method: 'open', arg: { name: 'afs.pcap', file: new Blob([PCAP]) } });
    const replies = await opening;
    const last = replies.at(-1)!;
    assert.ok('result' in last, JSON.stringify(last));
    assert.equal((last.result as { bytes: number }).bytes, PCAP.length);
    assert.ok(replies.slice(0, -1).every((r) => 'progress' in r && r.id === 1));
    const info = await ask(port2, { id: 2, method: 'info', arg: {} });
    assert.ok('result' in info[0]! && (info[0].result as { rowCount: number }).rowCount > 0);
    const refused = await ask(port2, { id: 3, method: 'open', arg: { name: 'x', file: 'not a blob' } });
    assert.ok('error' in refused[0]! && /expected "file" to be a Blob/.test(refused[0].error.message));
  } finally {
    port1.close();
    port2.close();
  }
});
