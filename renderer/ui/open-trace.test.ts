import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { corpusDir } from '../../test/paths.js';
import { Engine } from '../engine/engine.js';
import { createDetectingImporter } from '../engine/formats/detect.js';
import { handleRequest } from '../engine/worker.js';
import { AHEAD_BYTES, feedStream, type ChunkImporter } from './open-trace.js';

const PCAP = readFileSync(join(corpusDir, 'afs.pcap'));

/**
 * A real engine answering like the worker (handleRequest), a turn of the event loop later; it
 * records the most bytes handed to it and not yet answered.
 */
function engineLike(engine: Engine): ChunkImporter & { mostAhead: number } {
  let ahead = 0;
  const client = {
    mostAhead: 0,
    call: ((method: string, arg: { chunk?: Uint8Array }) => {
      const bytes = arg.chunk?.length ?? 0;
      ahead += bytes;
      client.mostAhead = Math.max(client.mostAhead, ahead);
      return new Promise<unknown>((resolve, reject) =>
        setImmediate(() => {
          ahead -= bytes;
          const { reply } = handleRequest(engine, { id: 1, method, arg });
          if ('error' in reply) reject(new Error(reply.error.message));
          else resolve('result' in reply ? reply.result : undefined);
        }),
      );
    }) as ChunkImporter['call'],
  };
  return client;
}

let server: Server;
let origin: string;
before(async () => {
  // Serves the pcap in 64 KiB writes, or refuses.
  server = createServer((req, res) => {
    if (req.url !== '/file') return void res.writeHead(404, 'Not Found').end();
    for (let i = 0; i < PCAP.length; i += 65536) res.write(PCAP.subarray(i, i + 65536));
    res.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test("the host's file, fetched and fed piece by piece, imports the same rows as the whole file", async () => {
  const whole = new Engine({ createImporter: createDetectingImporter });
  whole.importChunk({ chunk: PCAP, name: 'afs.pcap' });
  whole.importEnd();
  const engine = new Engine({ createImporter: createDetectingImporter });
  const client = engineLike(engine);
  const seen: number[] = [];
  const response = await fetch(`${origin}/file`);
  await feedStream(client, 'afs.pcap', response.body!, (n) => seen.push(n));
  engine.importEnd();
  assert.deepEqual(engine.info().byEvent, whole.info().byEvent);
  assert.equal(seen.at(-1), PCAP.length);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, 'progress only goes up');
  assert.ok(client.mostAhead <= AHEAD_BYTES + 65536 * 4, `read ahead ${client.mostAhead} bytes`);
});

test('reading stays at most AHEAD_BYTES ahead of the import; a refused piece cancels the reading', async () => {
  let cancelled = false;
  let given = 0;
  const garbage = new Uint8Array(1 << 20).fill(0x41);
  // Endless: only the refusal ends it.
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      given += garbage.length;
      c.enqueue(garbage.slice());
    },
    cancel() {
      cancelled = true;
    },
  });
  const client = engineLike(new Engine({ createImporter: createDetectingImporter }));
  await assert.rejects(feedStream(client, 'notes.txt', body, () => undefined), /notes\.txt: not a WireView trace/);
  assert.ok(cancelled, 'the stream was cancelled');
  assert.ok(client.mostAhead <= AHEAD_BYTES + garbage.length, `handed ${client.mostAhead} bytes ahead`);
  assert.ok(given < 4 * AHEAD_BYTES, `read ${given} bytes of an endless stream`);
});

test('progress follows each piece as it is imported, while the source is still being read', async () => {
  let given = 0;
  // 64 KiB pieces, each a turn of the event loop after the last (as a disk or network read arrives).
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((next) => setImmediate(next));
      if (given >= PCAP.length) return c.close();
      c.enqueue(PCAP.slice(given, given + 65536));
      given += 65536;
    },
  });
  const engine = new Engine({ createImporter: createDetectingImporter });
  const heard: { imported: number; read: number }[] = [];
  await feedStream(engineLike(engine), 'afs.pcap', body, (imported) => heard.push({ imported, read: Math.min(given, PCAP.length) }));
  assert.equal(heard.at(-1)?.imported, PCAP.length);
  assert.ok(heard[0]!.read < PCAP.length, `the first progress came once ${heard[0]!.read} of ${PCAP.length} bytes were read`);
  assert.ok(heard.length >= Math.ceil(PCAP.length / 65536) - 1, `${heard.length} progress steps`);
});
