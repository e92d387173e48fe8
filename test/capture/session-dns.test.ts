/**
 * DNS through the capture session: a query and its answer on 127.0.0.1:53 become dns.query and
 * dns.answer rows, and the answer's address gets its name in the trace file's DNS cache, so the
 * next connection to that address carries the name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { CaptureSession } from '../../electron/services/capture-session.js';
import { captureSkipReason, freePort } from './live.js';
import { readTrace, sleep, tcpExchange } from './session-traffic.js';

const skip = captureSkipReason();
const NAME = 'peer.wireview.test';
const ADDR = '127.0.0.1';

async function dnsRoundTrip(id: number): Promise<void> {
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, from) => {
    const q = dnsPacket.decode(msg);
    const answer = dnsPacket.encode({ type: 'response', id: q.id ?? 0, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: q.questions ?? [], answers: [{ type: 'A', name: NAME, ttl: 60, data: ADDR }] });
    server.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.bind(53, '127.0.0.1', resolve);
  });
  const client = dgram.createSocket('udp4');
  try {
    const reply = new Promise<void>((resolve) => client.once('message', () => resolve()));
    client.send(dnsPacket.encode({ type: 'query', id, questions: [{ type: 'A', name: NAME }] }), 53, '127.0.0.1');
    await reply;
  } finally {
    client.close();
    server.close();
  }
}

test('DNS answers become dns.* rows and name the next connection', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wv-session-dns-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const output = join(dir, 'dns.arrows');
  const session = await CaptureSession.start({ output, filter: { classes: ['aux'], enable: ['dns.query', 'dns.answer'] }, flushIntervalMs: 50 });
  const port = await freePort();
  let pid = 0;
  try {
    try {
      await dnsRoundTrip(0x4242);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return t.skip('127.0.0.1:53 is in use by a resolver on this machine');
      throw e;
    }
    pid = await tcpExchange('wv-dns-peer', port);
    await sleep(200);
  } finally {
    await session.stop();
  }
  const { store, rows } = await readTrace(output);
  // this process's query and answer (the capture sees the whole machine: another DNS exchange with the same id is not ours)
  const dns = rows.filter((r) => r.dns_id === 0x4242 && r.pid === process.pid);
  assert.deepEqual(
    dns.map((r) => [r.event, r.dns_name, r.dns_type, r.sport === 53 || r.dport === 53, r.pid]),
    [
      ['dns.query', NAME, 'A', true, process.pid],
      ['dns.answer', NAME, 'A', true, process.pid],
    ],
  );
  assert.equal(dns[1]!.dns_rcode, 'NOERROR');
  assert.match(String(dns[1]!.dns_answers), new RegExp(`${NAME} A ${ADDR}`));
  assert.deepEqual(store.dns.namesOf(store.dicts.addrs.internText(ADDR)!), [`${NAME}.`]);
  const connect = rows.find((r) => r.event === 'sock.connect' && r.pid === pid);
  assert.ok(connect);
  assert.deepEqual(connect.daddr_names, [`${NAME}.`]);
});
