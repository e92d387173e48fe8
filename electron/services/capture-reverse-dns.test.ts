/**
 * Reverse lookups against a real DNS server: a UDP socket on 127.0.0.1 that answers PTR queries
 * from a table (answers encoded by hand), holds them back, or never answers. The addresses are
 * from documentation ranges (192.0.2.0/24, 198.18.0.0/15, 2001:db8::/32), which no hosts file names.
 */
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { ReverseDns, type ReverseDnsOptions } from './capture-reverse-dns.js';

/** Names for a PTR query's name, 'nxdomain' for "no such name", or 'silent' for no answer at all. */
type Answer = readonly string[] | 'nxdomain' | 'silent';

class PtrServer {
  /** Names asked for, in the order the queries came. */
  readonly queries: string[] = [];
  /** While true, answers wait for release(). */
  holding = false;
  private readonly held: (() => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly answer: (name: string) => Answer,
  ) {
    socket.on('message', (query, from) => this.receive(query, from));
  }

  /** A server for test `t`, closed when it ends. */
  static async start(t: TestContext, answer: (name: string) => Answer): Promise<PtrServer> {
    const server = new PtrServer(createSocket('udp4'), answer);
    server.socket.bind(0, '127.0.0.1');
    await once(server.socket, 'listening');
    t.after(() => server.close());
    return server;
  }

  /** For ReverseDnsOptions.servers. */
  get address(): string {
    return `127.0.0.1:${this.socket.address().port}`;
  }

  get waiting(): number {
    return this.held.length;
  }

  /** Sends the answers held back so far. */
  release(): void {
    for (const send of this.held.splice(0)) send();
  }

  close(): void {
    this.socket.close();
  }

  private receive(query: Buffer, from: RemoteInfo): void {
    const labels: string[] = [];
    let o = 12;
    while (query[o]) {
      labels.push(query.toString('latin1', o + 1, o + 1 + query[o]!));
      o += 1 + query[o]!;
    }
    const question = query.subarray(12, o + 5); // the name, its terminating 0, type and class
    const name = labels.join('.').toLowerCase();
    this.queries.push(name);
    const answer = this.answer(name);
    if (answer === 'silent') return;
    const send = (): void => this.socket.send(reply(query, question, answer), from.port, from.address);
    if (this.holding) this.held.push(send);
    else send();
  }
}

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 255]);

/** A DNS response (RFC 1035 4.1) to `query`: its question again and one PTR record per name, TTL 0. */
function reply(query: Buffer, question: Buffer, answer: readonly string[] | 'nxdomain'): Buffer {
  const names = answer === 'nxdomain' ? [] : answer;
  const header = Buffer.concat([query.subarray(0, 2), u16(0x8180 | (answer === 'nxdomain' ? 3 : 0)), u16(1), u16(names.length), u16(0), u16(0)]);
  const records = names.map((name) => {
    const data = Buffer.concat([...name.split('.').filter((l) => l !== '').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
    // The owner name points back at the question's (offset 12); type PTR (12), class IN, TTL 0.
    return Buffer.concat([u16(0xc00c), u16(12), u16(1), Buffer.alloc(4), u16(data.length), data]);
  });
  return Buffer.concat([header, question, ...records]);
}

/** The PTR query name of an IPv4 address. */
const ptr4 = (addr: string): string => `${addr.split('.').reverse().join('.')}.in-addr.arpa`;

async function until(what: string, done: () => boolean, ms = 3000): Promise<void> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) assert.fail(`still waiting after ${ms} ms for ${what}`);
    await sleep(5);
  }
}

/** A store, the reverse lookups over it against `server` (closed when test `t` ends), and the store's ids for `addrs`. */
function lookups(t: TestContext, server: PtrServer, addrs: readonly string[], options: ReverseDnsOptions = {}): { store: EventStore; reverse: ReverseDns; ids: number[] } {
  const store = new EventStore();
  const ids = addrs.map((a) => store.dicts.addrs.internText(a)!);
  const reverse = new ReverseDns(store, { servers: [server.address], ...options });
  t.after(() => reverse.close());
  return { store, reverse, ids };
}

const testNet = (n: number): string[] => Array.from({ length: n }, (_, i) => `198.18.${i >> 8}.${i & 255}`);

test('a PTR answer names the address in the DNS cache with a trailing dot, every name of it, IPv4 and IPv6; NXDOMAIN leaves it unnamed', async (t) => {
  const V6_PTR = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
  const table: Record<string, Answer> = { [ptr4('192.0.2.1')]: ['one.example'], [V6_PTR]: ['six.example', 'six-alias.example'], [ptr4('192.0.2.2')]: 'nxdomain' };
  const server = await PtrServer.start(t, (name) => table[name] ?? 'silent');
  const { store, reverse, ids } = lookups(t, server, ['192.0.2.1', '2001:db8::1', '192.0.2.2']);

  reverse.scan();
  await until('the three lookups', () => reverse.found === 3 && reverse.failed === 1);
  assert.deepEqual(
    ids.map((id) => store.dns.namesOf(id)),
    [['one.example.'], ['six.example.', 'six-alias.example.'], []],
  );
  assert.deepEqual([reverse.found, reverse.failed], [3, 1]);
  assert.deepEqual(server.queries.toSorted(), Object.keys(table).toSorted());
});

test('nothing is looked up until scan(): a store full of addresses sends no query by itself', async (t) => {
  const server = await PtrServer.start(t, () => ['host.example']);
  const { store, reverse } = lookups(t, server, ['192.0.2.1', '192.0.2.2']);

  store.dicts.addrs.internText('192.0.2.3');
  await sleep(150);
  assert.equal(server.queries.length, 0);
  reverse.scan();
  await until('the lookups scan() starts', () => reverse.found === 3);
  assert.equal(server.queries.length, 3);
});

test('a server that never answers: the lookup gives up after its timeout (timeoutMs, default 1 s), asks once, and never asks again', async (t) => {
  const server = await PtrServer.start(t, () => 'silent');
  const timeoutMs = 150;
  const short = lookups(t, server, ['192.0.2.1'], { timeoutMs });
  const long = lookups(t, server, ['192.0.2.2']);

  /** How long `reverse` takes to give up; then it is asked to look again (and must not). */
  const giveUp = async (reverse: ReverseDns): Promise<number> => {
    const start = performance.now();
    reverse.scan();
    await until('the lookup to fail', () => reverse.failed === 1, 4000);
    const took = performance.now() - start;
    for (let i = 0; i < 10; i++) reverse.scan();
    return took;
  };
  const [quick, slow] = await Promise.all([giveUp(short.reverse), giveUp(long.reverse)]);
  // Node's resolver checks its queries' timeouts on a timer of that period, so a query can outlive
  // its timeout by up to one period (the default 1 s is 1 to 2 s); 2 s more for a busy machine.
  // The short one ends well before the default: timeoutMs is what counts.
  assert.ok(quick >= 0.8 * timeoutMs && quick < 2 * timeoutMs + 2000, `timeoutMs ${timeoutMs}: gave up after ${quick.toFixed(0)} ms`);
  assert.ok(slow >= 800 && slow < 2000 + 2000, `default timeout: gave up after ${slow.toFixed(0)} ms`);
  assert.ok(quick < slow, `timeoutMs ${timeoutMs} gave up after ${quick.toFixed(0)} ms, the default after ${slow.toFixed(0)} ms`);

  await sleep(100);
  assert.deepEqual(server.queries.toSorted(), [ptr4('192.0.2.1'), ptr4('192.0.2.2')]);
  assert.deepEqual([short.reverse.failed, long.reverse.failed, short.reverse.found + long.reverse.found, short.store.dns.size + long.store.dns.size], [1, 1, 0, 0]);
});

test('each address is looked up once, however often it is seen again or scan() is called', async (t) => {
  const server = await PtrServer.start(t, (name) => [`h${name.split('.')[0]}.example`]);
  const addrs = ['192.0.2.1', '192.0.2.2', '2001:db8::2'];
  const { store, reverse } = lookups(t, server, addrs);

  for (let i = 0; i < 20; i++) {
    for (const a of addrs) store.dicts.addrs.internText(a);
    reverse.scan();
  }
  await until('three names', () => reverse.found === 3);
  for (let i = 0; i < 20; i++) reverse.scan();
  await sleep(50);
  assert.equal(server.queries.length, 3);
  assert.equal(new Set(server.queries).size, 3);

  // An address the store learns later is looked up at the next scan, and only it.
  const later = store.dicts.addrs.internText('192.0.2.9')!;
  reverse.scan();
  reverse.scan();
  await until('the new name', () => reverse.found === 4);
  await sleep(50);
  assert.deepEqual([server.queries.length, server.queries[3], store.dns.namesOf(later)], [4, ptr4('192.0.2.9'), ['h9.example.']]);
});

test('addresses already named by captured DNS answers are not looked up', async (t) => {
  const server = await PtrServer.start(t, () => ['ptr.example']);
  const { store, reverse, ids } = lookups(t, server, ['192.0.2.1', '192.0.2.2']);

  store.dns.add(ids[0]!, 'captured.example.');
  reverse.scan();
  await until('one lookup', () => reverse.found === 1);
  await sleep(50);
  assert.deepEqual(server.queries, [ptr4('192.0.2.2')]);
  assert.deepEqual(
    ids.map((id) => store.dns.namesOf(id)),
    [['captured.example.'], ['ptr.example.']],
  );
});

test('an address named by a captured DNS answer while its lookup waits in the queue is not looked up', async (t) => {
  const server = await PtrServer.start(t, () => ['ptr.example']);
  const { store, reverse, ids } = lookups(t, server, ['192.0.2.1', '192.0.2.2'], { maxInFlight: 1 });
  server.holding = true;

  reverse.scan();
  await until('the first query', () => server.waiting === 1);
  store.dns.add(ids[1]!, 'captured.example.'); // the second waits behind the first
  server.release();
  await until('the first answer', () => reverse.found === 1);
  await sleep(50);
  assert.deepEqual(server.queries, [ptr4('192.0.2.1')]);
  assert.deepEqual(ids.map((id) => store.dns.namesOf(id)), [['ptr.example.'], ['captured.example.']]);
});

test('at most maxInFlight lookups at a time (default 4); the others start as answers come', async (t) => {
  for (const [options, max] of [[{}, 4], [{ maxInFlight: 2 }, 2]] as const) {
    const server = await PtrServer.start(t, () => ['host.example']);
    const { reverse } = lookups(t, server, testNet(10), options);
    server.holding = true;

    reverse.scan();
    let answered = 0;
    while (answered < 10) {
      const expected = Math.min(max, 10 - answered);
      await until(`${expected} queries in flight`, () => server.waiting === expected);
      await sleep(50);
      assert.equal(server.queries.length, answered + expected, `maxInFlight ${max}: queries with ${answered} answered`);
      server.release();
      answered += expected;
      await until(`${answered} answers`, () => reverse.found === answered);
    }
  }
});

test('at most maxLookups lookups per capture, across scans (default 4096)', async (t) => {
  const server = await PtrServer.start(t, () => 'nxdomain');
  const few = lookups(t, server, testNet(5), { maxLookups: 3 });
  const many = lookups(t, server, testNet(4100));

  few.reverse.scan();
  await until('three lookups', () => few.reverse.failed === 3);
  few.store.dicts.addrs.internText('192.0.2.1');
  few.reverse.scan();
  await sleep(50);
  assert.deepEqual([server.queries.length, few.reverse.failed], [3, 3]);

  many.reverse.scan();
  await until('4096 lookups', () => many.reverse.failed === 4096, 30_000);
  many.reverse.scan();
  await sleep(50);
  assert.deepEqual([server.queries.length - 3, many.reverse.failed], [4096, 4096]);
});

test('close() stops the lookups: answers that come after it name nothing, and no query follows', async (t) => {
  const server = await PtrServer.start(t, () => ['late.example']);
  const { store, reverse } = lookups(t, server, testNet(6));
  server.holding = true;

  reverse.scan();
  await until('four queries in flight', () => server.waiting === 4);
  reverse.close();
  server.release();
  store.dicts.addrs.internText('192.0.2.1');
  reverse.scan();
  await sleep(100);
  assert.deepEqual([server.queries.length, reverse.found, store.dns.size], [4, 0, 0]);
});
