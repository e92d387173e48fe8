/** DNS in captures: query/answer events, the DNS cache with CNAME chains, malformed payloads kept as packets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePcap } from '../support/make-pcap.js';
import { importCapture, rowObjects } from './pcap-import-helpers.js';

test('DNS answers become events and name their addresses, CNAME chain included', () => {
  const store = importCapture(makePcap(4000, 2));
  const rows = rowObjects(store);
  const answer = rows.find((o) => o.event === 'dns.answer')!;
  assert.ok(answer && rows.some((o) => o.event === 'dns.query'));
  assert.equal(answer.dns_rcode, 'NOERROR');
  assert.equal(answer.dns_type, 'A');
  const [cname, a] = String(answer.dns_answers).split('; ');
  const name = String(answer.dns_name);
  assert.equal(cname, `${name} CNAME edge.${name}`);
  const address = a!.split(' ')[2]!;
  assert.equal(a, `edge.${name} A ${address}`);
  const names = store.dns.namesOf(store.dicts.addrs.internText(address)!);
  assert.ok(names.includes(`${name}.`) && names.includes(`edge.${name}.`), names.join());
  // Later packets to that address show its names.
  assert.ok(rows.some((o) => o.event === 'pkt.tcp' && o.daddr === address && (o.daddr_names as string[]).includes(`${name}.`)));
});

test('a malformed DNS payload keeps its packet and makes no DNS event', () => {
  const payload = [0x12, 0x34, 0x81, 0x80, 0, 5, 0, 9, 0, 0, 0, 0, 3, 0x61]; // claims 5 questions, has half of one
  const udp = [0x00, 53, 0x9c, 0x40, 0, 8 + payload.length, 0, 0, ...payload];
  const total = 20 + udp.length;
  const ip = [0x45, 0, 0, total, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1, ...udp];
  const header = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 101, 0, 0, 0];
  const record = [1, 0, 0, 0, 0, 0, 0, 0, ip.length, 0, 0, 0, ip.length, 0, 0, 0, ...ip];
  const store = importCapture(Uint8Array.from([...header, ...record]));
  const rows = rowObjects(store);
  assert.deepEqual(rows.map((o) => o.event), ['pkt.udp']);
  assert.equal(rows[0]!.size, payload.length);
  assert.deepEqual(store.meta.extra.pcap, { packets: 1, skipped: {}, dnsMalformed: 1 });
});
