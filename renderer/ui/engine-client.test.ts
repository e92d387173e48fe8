import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir } from '../../test/paths.js';
import { Engine } from '../engine/engine.js';
import { createDetectingImporter } from '../engine/formats/detect.js';
import { handleRequest } from '../engine/worker.js';
import { EngineClient, EngineStoppedError } from './engine-client.js';

/** A worker's surface over a real engine in this thread (Node 20 has no Web Worker): answers a turn later, counts what it was sent. */
function workerOver(engine: Engine): Worker & { posted: number; terminated: boolean } {
  const target = new EventTarget();
  const worker = Object.assign(target, {
    posted: 0,
    terminated: false,
    postMessage(data: unknown) {
      worker.posted++;
      setImmediate(() => {
        if (worker.terminated) return;
        const { reply } = handleRequest(engine, data);
        target.dispatchEvent(Object.assign(new Event('message'), { data: reply }));
      });
    },
    terminate() {
      worker.terminated = true;
    },
  });
  return worker as unknown as Worker & { posted: number; terminated: boolean };
}

test('a stopped engine refuses further calls at once, so an open it was replacing stops feeding it', async () => {
  const worker = workerOver(new Engine({ createImporter: createDetectingImporter }));
  const client = new EngineClient(worker);
  const chunk = new Uint8Array(readFileSync(join(corpusDir, 'afs.pcap')));
  await client.call('importChunk', { chunk, name: 'afs.pcap' });
  const inFlight = client.call('importEnd', {});
  client.terminate();
  await assert.rejects(inFlight, EngineStoppedError, 'the call in flight is rejected as stopped');
  const sent = worker.posted;
  await assert.rejects(client.call('info', {}), EngineStoppedError);
  assert.equal(worker.posted, sent, 'nothing is posted to the stopped worker');
});
