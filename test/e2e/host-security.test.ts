/**
 * The browser host refuses what it should: requests without the token (or with a wrong one, or
 * naming another Host), sockets from other origins, malformed and forged IPC messages — and keeps
 * serving the page and the contract to the one that has the token.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { startHost, type RunningHost } from '../../electron/host/host-server.js';
import { SAMPLE_NAME, SAMPLE_TRACE } from '../../electron/host/sample.js';
import { MAX_MESSAGE_BYTES } from '../../electron/ipc/contract.js';

let host: RunningHost;
let dir: string;
const secret = Buffer.from('secret trace bytes');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wireview-host-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'outside.txt'), 'not for the page');
  writeFileSync(join(dir, 'trace.pcap'), secret);
  host = await startHost({ rendererDir: join(dir, 'renderer'), file: { path: join(dir, 'trace.pcap'), bytes: secret.length }, version: '9.9.9' });
});
after(() => host.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const pick = (a: Answer): [number, string] => [a.status, a.body];

function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('pages, assets and the file need the token or the cookie the token buys', async () => {
  assert.equal((await get('/')).status, 403);
  assert.equal((await get('/file')).status, 403);
  assert.equal((await get('/assets/app.js')).status, 403);
  assert.equal((await get(`/?token=${host.token}x`)).status, 403);
  assert.equal((await get(`/?token=${host.token.slice(1)}`)).status, 403);
  assert.equal((await get(`/?token=${host.token}`, { Host: `evil.example:${host.port}` })).status, 403, 'DNS rebinding: a foreign Host header');

  const page = await get(`/?token=${host.token}`);
  assert.equal(page.status, 200);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  assert.match(String(page.headers['set-cookie']), /HttpOnly; SameSite=Strict/);

  assert.equal((await get('/assets/app.js', { Cookie: cookie })).body, 'export {};');
  assert.equal((await get('/file', { Cookie: cookie })).body, secret.toString());
  assert.equal((await get('/file', { Cookie: `${cookie}x` })).status, 403);
  assert.equal((await get('/../outside.txt', { Cookie: cookie })).status, 404);
  assert.equal((await get('/capture?from=0')).status, 403, 'the live capture trace needs the token too');
  assert.equal((await get('/capture?from=0', { Cookie: cookie })).status, 404, 'no capture is running');
  assert.equal((await get('/capture?from=-5', { Cookie: cookie })).status, 404);
  assert.equal((await get('/%2e%2e/outside.txt', { Cookie: cookie })).status, 404);
  assert.equal((await get('/export?source=file&format=pcapng')).status, 403, 'Save needs the token too');
  assert.deepEqual(pick(await get('/export?source=file&format=exe', { Cookie: cookie })), [400, 'format: expected one of arrows, pcapng, jsonl, csv\n']);
  assert.deepEqual(pick(await get('/export?source=/etc/passwd&format=csv', { Cookie: cookie })), [400, 'source: expected file or capture\n']);
  assert.deepEqual(pick(await get('/export?source=capture&format=csv', { Cookie: cookie })), [409, 'no capture to save\n']);
  assert.equal((await get('/assets/%00', { Cookie: cookie })).status, 404);
});

function connect(query: string, origin: string | undefined): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc${query}`, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

test('the IPC socket needs the token and a page of this host as its origin', async () => {
  const origin = `http://127.0.0.1:${host.port}`;
  await assert.rejects(connect('', origin), /403/);
  await assert.rejects(connect(`?token=wrong`, origin), /403/);
  await assert.rejects(connect(`?token=${host.token}`, 'http://evil.example'), /403/);
  await assert.rejects(connect(`?token=${host.token}`, undefined), /403/);
  const ws = await connect(`?token=${host.token}`, origin);
  ws.close();
});

test('malformed and forged messages get an error reply and change nothing', async () => {
  const ws = await connect(`?token=${host.token}`, `http://localhost:${host.port}`);
  const replies: unknown[] = [];
  let waiting: (() => void) | undefined;
  ws.on('message', (d: Buffer) => {
    replies.push(JSON.parse(d.toString()));
    waiting?.();
  });
  const ask = async (data: string | Buffer): Promise<unknown> => {
    const n = replies.length;
    const got = new Promise<void>((resolve) => (waiting = resolve));
    ws.send(data);
    await got;
    assert.equal(replies.length, n + 1);
    return replies[n];
  };
  assert.deepEqual(await ask('not json'), { id: -1, error: { message: 'request: not JSON' } });
  assert.deepEqual(await ask(Buffer.from([1, 2, 3])), { id: -1, error: { message: 'request: binary messages are not part of the contract' } });
  assert.deepEqual(await ask('[1]'), { id: -1, error: { message: 'request: expected an object' } });
  assert.deepEqual(await ask('{"id":3,"channel":"file.delete","arg":{}}'), { id: 3, error: { message: 'request.channel: unknown channel "file.delete"' } });
  assert.deepEqual(await ask('{"id":4,"channel":"constructor","arg":{}}'), { id: 4, error: { message: 'request.channel: unknown channel "constructor"' } });
  assert.deepEqual(await ask('{"id":5,"channel":"app.hello","arg":{"path":"/etc/passwd"}}'), { id: 5, error: { message: 'arg: unexpected key "path"' } });
  assert.deepEqual(await ask('{"id":6,"channel":"app.hello","arg":{},"__proto__":{"admin":true}}'), { id: 6, error: { message: 'request: unexpected key "__proto__"' } });
  assert.deepEqual(await ask('{"id":7,"channel":"app.hello","arg":{}}'), {
    id: 7,
    result: { version: '9.9.9', host: 'browser', file: { name: 'trace.pcap', bytes: secret.length, url: '/file' } },
  });
  assert.deepEqual(await ask('{"id":8,"channel":"capture.start","arg":{"output":"/etc/passwd"}}'), { id: 8, error: { message: 'arg: unexpected key "output"' } });
  assert.deepEqual(await ask('{"id":9,"channel":"capture.stop","arg":null}'), { id: 9, error: { message: 'arg: expected an object, got null' } });
  assert.deepEqual(await ask('{"id":10,"channel":"capture.stop","arg":{}}'), { id: 10, error: { message: 'no capture is running to stop' } });
  const idle = { state: 'idle', records: 0, lost: 0, traceBytes: 0, url: '/capture', message: null, filter: null };
  assert.deepEqual(await ask('{"id":11,"channel":"capture.stats","arg":{}}'), { id: 11, result: idle });
  // The capture options: the schema refuses what is malformed, the host what the kernel filter cannot take.
  const start = (id: number, filter: unknown) => ask(JSON.stringify({ id, channel: 'capture.start', arg: { filter } }));
  assert.deepEqual(await start(12, { ports: [{ type: 'src', direction: 'in', from: 70000 }] }), { id: 12, error: { message: 'arg.filter.ports[0].from: 70000 is not in 0…65535' } });
  assert.deepEqual(await start(13, { classes: ['kernel'] }), { id: 13, error: { message: 'arg.filter.classes[0]: expected one of "core", "aux"' } });
  assert.deepEqual(await start(14, { addrs: [{ type: 'src', direction: 'in', cidr: 'not-an-ip' }] }), {
    id: 14,
    error: { message: 'capture options: expected "addrs[0].cidr" to be an address or CIDR, got "not-an-ip"' },
  });
  assert.deepEqual(await start(15, { enable: ['tcp.nonsense'] }), { id: 15, error: { message: 'capture options: expected "enable" to hold catalog event ids, got "tcp.nonsense"' } });
  assert.deepEqual(await start(16, { ports: [{ type: 'src', direction: 'in', from: 90, to: 80 }] }), {
    id: 16,
    error: { message: 'capture options: expected "ports[0].to" to be a port number from "from" to 65535' },
  });
  assert.deepEqual(await ask('{"id":17,"channel":"capture.pause","arg":{}}'), { id: 17, error: { message: 'no capture is running to pause' } });
  assert.deepEqual(await ask('{"id":18,"channel":"capture.resume","arg":{"now":true}}'), { id: 18, error: { message: 'arg: unexpected key "now"' } });
  assert.deepEqual(await ask('{"id":19,"channel":"capture.probe","arg":[]}'), { id: 19, error: { message: 'arg: expected an object, got array' } });
  assert.deepEqual(await ask('{"id":20,"channel":"capture.stats","arg":{}}'), { id: 20, result: idle }, 'none of it started a capture');
  // Files: only the host's own (its start file, the sample); a path the page names is refused.
  assert.deepEqual(await ask('{"id":21,"channel":"file.openRecent","arg":{"path":"/etc/passwd"}}'), { id: 21, error: { message: 'not a recent file of this host' } });
  assert.deepEqual(await ask('{"id":22,"channel":"file.openRecent","arg":{}}'), { id: 22, error: { message: 'arg.path: missing' } });
  assert.deepEqual(await ask('{"id":23,"channel":"file.openSample","arg":{"path":"/etc/passwd"}}'), { id: 23, error: { message: 'arg: unexpected key "path"' } });
  assert.deepEqual(await ask('{"id":24,"channel":"file.recent","arg":{}}'), { id: 24, result: { files: [{ name: 'trace.pcap', path: join(dir, 'trace.pcap') }] } });
  const page = await get(`/?token=${host.token}`);
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  assert.equal((await get('/file', { Cookie: cookie })).body, secret.toString(), 'the refused requests changed nothing');
  const sample = (await ask('{"id":25,"channel":"file.openSample","arg":{}}')) as { result: { name: string; bytes: number; url: string } };
  assert.deepEqual(sample.result, { name: SAMPLE_NAME, bytes: statSync(SAMPLE_TRACE).size, url: '/file?n=1' });
  assert.equal((await get(sample.result.url, { Cookie: cookie })).body.length > 0, true);
  assert.deepEqual(await ask('{"id":26,"channel":"file.openRecent","arg":{"path":"' + join(dir, 'trace.pcap') + '"}}'), {
    id: 26,
    result: { name: 'trace.pcap', bytes: secret.length, url: '/file?n=2' },
  });
  assert.equal((await get('/file?n=2', { Cookie: cookie })).body, secret.toString());
  // Past the size limit the socket is closed (1009), not the server.
  const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
  assert.equal(await closed, 1009);
  const again = await connect(`?token=${host.token}`, `http://127.0.0.1:${host.port}`);
  again.close();
});
