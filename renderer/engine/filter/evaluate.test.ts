import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventIndex } from '../model/events.js';
import type { StoredFieldKey } from '../model/fields.js';
import { EventStore } from '../store/event-store.js';
import { compileFilter, evaluateFilter } from './filter.js';

type Row = { event: string } & Partial<Record<StoredFieldKey, number | string>>;

/** Rows 0…8 of a tiny trace; batches of 3 rows, so some columns are absent from whole batches. */
const ROWS: Row[] = [
  { event: 'sock.connect', pid: 100, comm: 'curl', proto: 6, saddr: '10.0.0.5', daddr: '93.184.216.34', sport: 40000, dport: 443, direction: 3 },
  { event: 'sock.connect_error', pid: 101, comm: 'wget', proto: 6, saddr: '192.168.1.2', daddr: '10.1.2.3', sport: 40001, dport: 80, errno: 111 },
  { event: 'pkt.tcp', proto: 6, saddr: '::1', daddr: '::1', sport: 5555, dport: 22, tcp_flags: 2, tcp_seq: 4_000_000_000, size: 0 },
  { event: 'pkt.tcp', proto: 6, saddr: '2001:db8::1', daddr: '10.0.0.5', sport: 443, dport: 40000, tcp_flags: 18, tcp_seq: 7, size: 1200 },
  { event: 'pkt.udp', pid: 300, comm: 'systemd-resolved', proto: 17, saddr: '127.0.0.53', daddr: '127.0.0.1', sport: 53, dport: 33333, size: 40 },
  { event: 'tcp.retransmit', pid: 100, comm: 'curl', proto: 6, tcp_flags: 16 },
  { event: 'dns.answer', dns_name: 'www.example.com', proto: 17, sport: 53, dport: 33333 },
  { event: 'capture.lost', lost: 12 },
  { event: 'tcp.state', proto: 6, state_old: 2, state_new: 1, comm: 'Curl' },
];
const BASE = 1_700_000_000_000_000_000n;

function buildStore(): EventStore {
  const store = new EventStore();
  const b = store.builder(BASE, 3);
  ROWS.forEach((row, i) => {
    const r = b.addRow(i * 1000, eventIndex(row.event));
    for (const [key, value] of Object.entries(row) as [StoredFieldKey | 'event', number | string][]) {
      if (key === 'event') continue;
      if (key === 'saddr' || key === 'daddr') b.col(key).set(r, store.dicts.addrs.internText(String(value))!);
      else if (typeof value === 'string') b.setString(key, r, value);
      else b.col(key).set(r, value);
    }
    if (b.full) store.append(b.finish()!);
  });
  const last = b.finish();
  if (last) store.append(last);
  store.dns.add(store.dicts.addrs.internText('93.184.216.34')!, 'www.example.com');
  store.dns.add(store.dicts.addrs.internText('93.184.216.34')!, 'example.com.');
  store.dns.add(store.dicts.addrs.internText('10.1.2.3')!, 'intranet.corp.');
  store.meta.wallOffsetNs = 5n;
  return store;
}

const store = buildStore();

/** The rows `text` keeps, as row numbers. */
function rows(text: string): number[] {
  const mask = evaluateFilter(store, compileFilter(text));
  const kept = [...mask.bits.keys()].filter((i) => mask.bits[i] === 1);
  assert.equal(mask.count, kept.length, `count of ${text}`);
  return kept;
}

const check = (cases: Record<string, number[]>): void => {
  for (const [text, expected] of Object.entries(cases)) assert.deepEqual(rows(text), expected, text);
};

test('numbers: every comparison, hex, names of enums', () => {
  check({
    'net.dport = 443': [0],
    'net.dport != 443': [1, 2, 3, 4, 6],
    'net.dport < 80': [2],
    'net.dport <= 80': [1, 2],
    'net.dport > 30000': [3, 4, 6],
    'net.dport > 40000': [],
    'net.dport >= 40000': [3],
    'net.dport in (22, 0x1bb)': [0, 2],
    'net.dport not in (22, 443)': [1, 3, 4, 6],
    'tcp.seq >= 3000000000': [2],
    'tcp.seq in (7, 8, 9, 10, 11, 12, 13, 14, 15, 16)': [3],
    'ps.pid != 100': [1, 4],
    'capture.lost > 10': [7],
    'net.proto = udp': [4, 6],
    'net.proto != tcp': [4, 6],
    'sock.errno = ECONNREFUSED': [1],
    'sock.errno startswith ECONN': [1],
    'net.direction = output': [0],
    'tcp.state.new = ESTABLISHED and tcp.state.old = syn_sent': [8],
    'net.proto contains TC': [0, 1, 2, 3, 5, 8],
  });
});

test('rows without a value fail every comparison; not is plain negation', () => {
  check({
    'not net.dport = 80': [0, 2, 3, 4, 5, 6, 7, 8],
    'net.dport != 80': [0, 2, 3, 4, 6],
    'not (net.dport != 80)': [1, 5, 7, 8],
    'ps.comm != curl': [1, 4, 8],
  });
});

test('booleans and flag masks', () => {
  check({
    'tcp.flags.syn': [2, 3],
    'tcp.flags.syn and not tcp.flags.ack': [2],
    'tcp.flags.syn = false': [5],
    'not tcp.flags.syn': [0, 1, 4, 5, 6, 7, 8],
    'tcp.flags.ack = true': [3, 5],
    "tcp.flags contains 'SYN|ACK'": [3],
    'tcp.flags = SYN': [2],
  });
});

test('text: every operator, lists, case', () => {
  check({
    "ps.comm = 'curl'": [0, 5],
    'ps.comm ~= CURL': [0, 5, 8],
    'ps.comm in (curl, wget)': [0, 1, 5],
    "ps.comm contains 'url'": [0, 5, 8],
    "ps.comm icontains 'CURL'": [0, 5, 8],
    "ps.comm startswith 'sys'": [4],
    "ps.comm istartswith 'C'": [0, 5, 8],
    "ps.comm endswith 'get'": [1],
    "ps.comm iendswith 'RESOLVED'": [4],
    "ps.comm matches 'sys*-re?olved'": [4],
    "ps.comm matches ('c*', 'w?et')": [0, 1, 5],
    "ps.comm imatches 'c*'": [0, 5, 8],
    "ps.comm not contains 'url'": [1, 4],
    "dns.name matches '*.example.*'": [6],
  });
});

test('events: name, class, priority', () => {
  check({
    "evt.name = 'sock.connect'": [0],
    'evt.name in (pkt.tcp, pkt.udp)': [2, 3, 4],
    "evt.name startswith 'pkt.'": [2, 3, 4],
    "evt.name matches 'sock.*'": [0, 1],
    'evt.class = aux': [0, 1, 7, 8],
    'evt.priority <= WARNING': [1, 5, 7],
    'evt.priority = NOTICE': [0],
    'evt.priority > 7': [],
    "evt.priority startswith 'WARN'": [5],
  });
});

test('addresses: equality, CIDR, IPv6, text operators, either-side alias', () => {
  check({
    'net.dip in 10.0.0.0/8': [1, 3],
    'net.sip in (10.0.0.0/8, 192.168.0.0/16)': [0, 1],
    'net.sip = ::1': [2],
    'net.sip = 0:0:0:0:0:0:0:1': [2],
    'net.sip in 2001:db8::/32': [3],
    'net.dip != 10.0.0.5': [0, 1, 2, 4],
    "net.dip startswith '127.'": [4],
    'net.ip = 10.0.0.5': [0, 3],
    'net.ip != 10.0.0.5': [1, 2, 4],
    'net.ip in 127.0.0.0/8': [4],
    'net.port = 443': [0, 3],
    'net.port != 443': [1, 2, 4, 6],
  });
});

test('derived names: DNS names of addresses and IANA service names of ports', () => {
  check({
    "net.dip.names matches ('*.example.com.')": [0],
    "net.dip.names = 'example.com.'": [0],
    "net.dip.names != 'example.com.'": [1],
    "net.dip.names not matches '*.corp.'": [0],
    "net.ip.names endswith '.corp.'": [1],
    "net.sip.names contains 'example'": [],
    'net.dport.name = https': [0],
    'net.sport.name = https': [3],
    'net.dport.name = ssh': [2],
    'net.sport.name = domain': [4, 6],
    'net.port.name in (www-http, ssh)': [1, 2],
    'net.sport.name = dgi-serv': [],
    'net.dport.name != https': [1, 2, 3],
  });
});

test('times: evt.ts as exported (absolute) and evt.time as ISO text', () => {
  check({
    [`evt.ts = ${BASE + 2000n}`]: [2],
    [`evt.ts >= ${BASE + 7000n}`]: [7, 8],
    [`evt.ts in (${BASE}, ${BASE + 1000n})`]: [0, 1],
    "evt.time < '2023-11-14T22:13:20.000001005Z'": [0],
    "evt.time <= '2023-11-14T22:13:20.000001005Z'": [0, 1],
  });
});

test('precedence and grouping', () => {
  check({
    'net.dport = 443 or net.dport = 80 and ps.comm = curl': [0],
    '(net.dport = 443 or net.dport = 80) and ps.comm = wget': [1],
    'not net.proto = tcp and not net.proto = udp': [7],
    '': [0, 1, 2, 3, 4, 5, 6, 7, 8],
  });
});

test('hostile expressions: deep nesting and huge chains are refused or evaluated, never a crash', () => {
  const chain = Array.from({ length: 2000 }, (_, i) => `net.dport = ${i}`).join(' or ');
  assert.deepEqual(rows(chain), [0, 1, 2]);
  assert.throws(() => compileFilter(`${chain} or ps.pid = 1`), /too many comparisons \(more than 2000\)/);
  const deep = `${'('.repeat(200)}ps.pid = 1${')'.repeat(200)}`;
  assert.deepEqual(rows(deep), []);
  assert.throws(() => compileFilter(`(${deep})`), /expression nested too deeply/);
  assert.throws(() => compileFilter('not '.repeat(100000) + 'tcp.flags.syn'), /expression nested too deeply/);
  assert.deepEqual(rows('not '.repeat(200) + 'tcp.flags.syn'), [2, 3]);
});
