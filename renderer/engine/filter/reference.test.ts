import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS, PRIORITIES, eventIndex } from '../model/events.js';
import { FIELD_BY_KEY } from '../model/fields.js';
import { cidrContains, parseAddress, type ParsedAddress } from '../net/address.js';
import { EventStore } from '../store/event-store.js';
import { RowReader } from '../values/field-values.js';
import type { FilterNode, Test } from './ast.js';
import { compileFilter, evaluateFilter } from './filter.js';
import { mulberry32 } from '../../../test/support/rng.js';

const rnd = mulberry32(0x5eed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number): boolean => rnd() < p;

const EVENT_IDS = ['sock.connect', 'sock.connect_error', 'sock.send', 'pkt.tcp', 'pkt.udp', 'tcp.retransmit', 'dns.answer', 'capture.lost', 'tcp.state', 'drop.nomem'];
const COMMS = ['curl', 'wget', 'Curl', 'sshd', 'systemd-resolved', '', 'a*b'];
const ADDRS = ['10.0.0.1', '10.1.2.3', '192.168.1.9', '::1', '2001:db8::5', 'fe80::1', '127.0.0.1', '93.184.216.34', '::ffff:10.0.0.1'];
const PORTS = [0, 22, 53, 80, 443, 8080, 33333, 40000, 65535]; // 33333 is named for TCP only
const BASE = 1_000_000_000_000n;
const ROWS = 4000;

function buildStore(): EventStore {
  const store = new EventStore();
  const b = store.builder(BASE, 300);
  let present = new Set<string>();
  let fill = 0.75;
  let single = false;
  const val = <T>(xs: readonly T[]): T => (single ? xs[1]! : pick(xs));
  for (let i = 0; i < ROWS; i++) {
    // Each batch carries a random subset of the columns, each row a random subset of those. The
    // fill rate varies by batch so that columns are sealed in every form: full, dense with a
    // bitmap, sparse (≤ 1/8 of the rows), and constant (one value; `single` below).
    if (b.length === 0) {
      present = new Set(['pid', 'comm', 'proto', 'saddr', 'daddr', 'sport', 'dport', 'tcp_flags', 'tcp_seq', 'errno', 'direction', 'latency_ns'].filter(() => chance(0.8)));
      fill = pick([1, 0.75, 0.1, 0.03]);
      single = chance(0.25);
    }
    const r = b.addRow(i * 10, eventIndex(pick(EVENT_IDS)));
    const maybe = (key: string): boolean => present.has(key) && chance(fill);
    if (maybe('pid')) b.col('pid').set(r, val([1, 2, 100, 4_000_000_000]));
    if (maybe('comm')) b.setString('comm', r, val(COMMS));
    if (maybe('proto')) b.col('proto').set(r, val([6, 6, 17, 17, 1, 58, 200]));
    if (maybe('saddr')) b.col('saddr').set(r, store.dicts.addrs.internText(val(ADDRS))!);
    if (maybe('daddr')) b.col('daddr').set(r, store.dicts.addrs.internText(val(ADDRS))!);
    if (maybe('sport')) b.col('sport').set(r, val(PORTS));
    if (maybe('dport')) b.col('dport').set(r, val(PORTS));
    if (maybe('tcp_flags')) b.col('tcp_flags').set(r, Math.floor(rnd() * 512));
    if (maybe('tcp_seq')) b.col('tcp_seq').set(r, val([0, 1, 2 ** 31, 4_000_000_000]));
    if (maybe('errno')) b.col('errno').set(r, val([0, 110, 111, 999]));
    if (maybe('direction')) b.col('direction').set(r, Math.floor(rnd() * 7));
    if (maybe('latency_ns')) b.col('latency_ns').set(r, val([0, 1500, 1e9]));
    if (b.full) store.append(b.finish()!);
  }
  const last = b.finish();
  if (last) store.append(last);
  store.dns.add(store.dicts.addrs.internText('93.184.216.34')!, 'www.example.com.');
  store.dns.add(store.dicts.addrs.internText('93.184.216.34')!, 'example.com.');
  store.dns.add(store.dicts.addrs.internText('10.1.2.3')!, 'intranet.corp.');
  store.dns.add(store.dicts.addrs.internText('::1')!, 'localhost.');
  store.meta.wallOffsetNs = 1_600_000_000_000_000_000n;
  return store;
}

const list = (xs: readonly (string | number)[]): string => `(${xs.join(', ')})`;
const some = <T>(xs: readonly T[]): T[] => xs.filter(() => chance(0.4)).concat([pick(xs)]);
const numOp = (): string => pick(['=', '!=', '<', '<=', '>', '>=']);
const textOp = (): string => pick(['=', '!=', '~=', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'matches', 'imatches', 'not contains', 'not matches']);
/** Text operators that never mean numeric or address equality. */
const textOnlyOp = (): string => pick(['~=', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'matches', 'imatches', 'not contains', 'not matches', 'not istartswith']);
const quote = (s: string): string => `'${s}'`;

/** One random comparison, drawn from every field kind and operator family. */
function randomLeaf(): string {
  const maybeNot = (): string => (chance(0.3) ? 'not ' : '');
  const gens: (() => string)[] = [
    () => `${pick(['ps.pid', 'tcp.seq', 'sock.latency'])} ${numOp()} ${pick([0, 1, 2, 100, 1500, 2 ** 31, 4_000_000_000, 1e9])}`,
    () => `${pick(['net.sport', 'net.dport', 'net.port'])} ${numOp()} ${pick(PORTS)}`,
    () => `${pick(['net.sport', 'net.dport', 'ps.pid', 'net.port'])} ${maybeNot()}in ${list(some([...PORTS, 1, 100]))}`,
    () => `net.proto ${numOp()} ${pick(['tcp', 'UDP', 'icmp', 'icmpv6', '200', '6'])}`,
    () => `${pick(['net.proto', 'sock.errno', 'net.direction'])} ${textOnlyOp()} ${quote(pick(['TCP', 'tcp', 'C', 'ECONN', 'E9*', '*put', 'send', 'ICMP*', 'other', '200']))}`,
    () => `sock.errno ${numOp()} ${pick(['ECONNREFUSED', 'ETIMEDOUT', '0', 'E999'])}`,
    () => `net.direction ${maybeNot()}in ${list(some(['send', 'receive', 'input', 'output', 'incoming', 'outgoing', '6']))}`,
    () => `ps.comm ${textOp()} ${quote(pick(['curl', 'CURL', 'c', 'url', 'sys*', '?url', '*d', '', 'a\\*b', 'a*b', '*']))}`,
    () => `ps.comm ${maybeNot()}${pick(['in', 'matches', 'icontains'])} ${list(some(COMMS.map(quote)))}`,
    () => `${pick(['net.sip', 'net.dip', 'net.ip'])} ${pick(['=', '!='])} ${pick(ADDRS)}`,
    () => `${pick(['net.sip', 'net.dip', 'net.ip'])} ${maybeNot()}in ${pick(['10.0.0.0/8', '::/0', '0.0.0.0/0', 'fe80::/10', '127.0.0.1/32', '::ffff:0:0/96'])}`,
    () => `${pick(['net.sip', 'net.dip'])} ${maybeNot()}in ${list(some(['10.0.0.0/16', '::1', '192.168.0.0/16', '2001:db8::/32', '93.184.216.34']))}`,
    () => `${pick(['net.sip', 'net.dip', 'net.ip'])} ${textOnlyOp()} ${quote(pick(['10.', '::', '*.1', '127.0.0.1', 'FE80*']))}`,
    () => `${pick(['net.sip.names', 'net.dip.names', 'net.ip.names'])} ${textOp()} ${quote(pick(['example.com.', '*.example.com.', 'corp', 'localhost.', 'WWW*']))}`,
    () => `${pick(['net.sport.name', 'net.dport.name', 'net.port.name'])} ${textOp()} ${quote(pick(['https', 'ssh', 'domain', 'http', 'www-http', 'safetynetp', 'dgi-serv', 'S*', 'd*']))}`,
    () => `evt.name ${pick(['=', '!='])} ${pick(EVENT_IDS)}`,
    () => `evt.name ${maybeNot()}in ${list(some(EVENT_IDS))}`,
    () => `evt.name ${textOnlyOp()} ${quote(pick(['sock.', 'tcp', '*error', 'pkt.???']))}`,
    () => `evt.class ${pick(['=', '!='])} ${pick(['core', 'aux'])}`,
    () => `evt.priority ${numOp()} ${pick([...PRIORITIES, '3', '8'])}`,
    () => `evt.priority ${textOnlyOp()} ${quote(pick(['WARN', 'ERROR', '*O*']))}`,
    () => `tcp.flags.${pick(['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr', 'ns'])}${chance(0.5) ? ` = ${pick(['true', 'false'])}` : ''}`,
    () => `tcp.flags ${maybeNot()}contains ${quote(pick(['SYN', 'SYN|ACK', 'fin|rst', 'NS']))}`,
    () => `tcp.flags ${numOp()} ${Math.floor(rnd() * 512)}`,
    () => `evt.ts ${numOp()} ${BASE + BigInt(Math.floor(rnd() * ROWS) * 10)}`,
    () => `evt.time ${numOp()} '2020-09-13T12:26:40.000${String(Math.floor(rnd() * ROWS * 10)).padStart(6, '0')}Z'`,
  ];
  return pick(gens)();
}

function randomExpr(depth: number): string {
  if (depth === 0 || chance(0.3)) return randomLeaf();
  const r = rnd();
  if (r < 0.2) return `not ${chance(0.5) ? `(${randomExpr(depth - 1)})` : randomLeaf()}`;
  const op = chance(0.5) ? 'and' : 'or';
  const joined = `${randomExpr(depth - 1)} ${op} ${randomExpr(depth - 1)}`;
  return chance(0.6) ? `(${joined})` : joined;
}

interface RefValue {
  num?: number;
  text?: string;
  ns?: bigint;
  addr?: ParsedAddress;
}

/** The values a row has for a leaf's field, read the way the table shows them. */
function refValues(store: EventStore, reader: RowReader, node: Extract<FilterNode, { type: 'leaf' }>, b: number, r: number): RefValue[] {
  const f = node.field;
  const shown = (key: string): unknown => reader.value(b, r, FIELD_BY_KEY.get(key)!);
  switch (f.kind) {
    case 'number':
    case 'bool': {
      const raw = reader.raw(b, r, f.key);
      if (raw === undefined) return [];
      const text = shown(f.key);
      return [{ num: raw, text: typeof text === 'string' ? text : String(raw) }];
    }
    case 'time':
      return [{ ns: reader.tsNs(b, r) + (f.wall ? store.meta.wallOffsetNs : 0n) }];
    case 'event': {
      const text = shown(f.part === 'name' ? 'event' : f.part) as string;
      return [{ text, num: f.part === 'priority' ? PRIORITIES.indexOf(text as never) + 1 : NaN }];
    }
    case 'text': {
      const text = shown(f.key);
      return text === undefined ? [] : [{ text: text as string }];
    }
    case 'addr': {
      const text = shown(f.key) as string | undefined;
      return text === undefined ? [] : [{ text, addr: parseAddress(text)! }];
    }
    case 'names':
      return ((shown(f.key === 'saddr' ? 'saddr_names' : 'daddr_names') as string[] | undefined) ?? []).map((text) => ({ text }));
    case 'service': {
      const text = shown(f.key === 'sport' ? 'sport_name' : 'dport_name') as string | undefined;
      return text === undefined ? [] : [{ text }];
    }
  }
}

const globRegExp = (glob: string, flags: string): RegExp =>
  new RegExp(`^${glob.replace(/\\(.)|([*?])|([^\\*?])/gs, (_m, esc: string, wild: string, ch: string) => (esc !== undefined ? `\\u{${esc.codePointAt(0)!.toString(16)}}` : wild === '*' ? '.*' : wild === '?' ? '.' : `\\u{${ch.codePointAt(0)!.toString(16)}}`))}$`, `su${flags}`);

function refTest(t: Test, v: RefValue): boolean {
  const cmp = <N extends number | bigint>(op: string, a: N, xs: readonly N[]): boolean =>
    op === 'in' ? xs.includes(a) : op === '=' ? a === xs[0] : op === '<' ? a < xs[0]! : op === '<=' ? a <= xs[0]! : op === '>' ? a > xs[0]! : a >= xs[0]!;
  switch (t.t) {
    case 'has':
      return true;
    case 'num':
      return cmp(t.op, v.num!, t.nums);
    case 'time':
      return cmp(t.op, v.ns!, t.ns);
    case 'bits':
      return t.all ? (v.num! & t.mask) === t.mask : (v.num! & t.mask) !== 0;
    case 'cidr':
      return t.nets.some((net) => cidrContains(net, v.addr!.version, v.addr!.bytes));
    case 'text': {
      const s = v.text!;
      return t.strs.some((p) => {
        switch (t.op) {
          case '=':
          case 'in':
            return s === p;
          case '~=':
            return s.toLowerCase() === p.toLowerCase();
          case 'contains':
            return s.indexOf(p) >= 0;
          case 'icontains':
            return s.toLowerCase().indexOf(p.toLowerCase()) >= 0;
          case 'startswith':
            return s.slice(0, p.length) === p;
          case 'istartswith':
            return s.slice(0, p.length).toLowerCase() === p.toLowerCase();
          case 'endswith':
            return p.length === 0 || s.slice(-p.length) === p;
          case 'iendswith':
            return p.length === 0 || s.slice(-p.length).toLowerCase() === p.toLowerCase();
          case 'matches':
            return globRegExp(p, '').test(s);
          case 'imatches':
            return globRegExp(p, 'i').test(s);
        }
      });
    }
  }
}

function refEval(store: EventStore, reader: RowReader, node: FilterNode, b: number, r: number): boolean {
  switch (node.type) {
    case 'and':
      return refEval(store, reader, node.left, b, r) && refEval(store, reader, node.right, b, r);
    case 'or':
      return refEval(store, reader, node.left, b, r) || refEval(store, reader, node.right, b, r);
    case 'not':
      return !refEval(store, reader, node.operand, b, r);
    case 'leaf': {
      const values = refValues(store, reader, node, b, r);
      if (values.length === 0) return false;
      const any = values.some((v) => refTest(node.test, v));
      return node.negate ? !any : any;
    }
  }
}

test('column-wise evaluation agrees with the row-by-row reference on random filters', () => {
  const store = buildStore();
  const reader = new RowReader(store);
  assert.ok(EVENTS.length < 256);
  // Every sealed form (and every narrow width) must be exercised by the kernels.
  const forms = new Set<string>();
  for (const batch of store.batches) {
    for (const col of Object.values(batch.columns)) {
      if (col) forms.add(col.form === 'const' ? 'const' : `${col.form} ${(col.form === 'dense' ? col.values : col.packed).constructor.name}`);
    }
  }
  for (const form of ['const', 'dense Uint8Array', 'dense Uint16Array', 'dense Uint32Array', 'sparse Uint8Array', 'sparse Uint16Array', 'sparse Uint32Array', 'dense Float64Array']) {
    assert.ok(forms.has(form), `no ${form} column in the test store`);
  }
  let nonTrivial = 0;
  for (let n = 0; n < 500; n++) {
    const text = randomExpr(3);
    const f = compileFilter(text);
    const mask = evaluateFilter(store, f);
    let count = 0;
    for (let b = 0; b < store.batches.length; b++) {
      for (let r = 0; r < store.batches[b]!.length; r++) {
        const row = store.batchStart[b]! + r;
        const expected = refEval(store, reader, f.root!, b, r) ? 1 : 0;
        count += expected;
        if (mask.bits[row] !== expected) assert.fail(`${text}: row ${row} is ${mask.bits[row]}, reference says ${expected}`);
      }
    }
    assert.equal(mask.count, count, text);
    if (count > 0 && count < ROWS) nonTrivial++;
  }
  // The generator must produce selective filters, or agreement would prove little.
  assert.ok(nonTrivial > 250, `only ${nonTrivial} of 500 filters were selective`);
});
