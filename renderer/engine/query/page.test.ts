import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../store/event-store.js';
import { TimeIndex } from '../index/time-index.js';
import { RowOrders, displayText, rowPage } from './page.js';
import type { RowMask } from './row-mask.js';
import { appendTestRows, type TestRow } from '../../../test/support/synthetic-events.js';

// Rows appended out of time order (the second batch is earlier), so time order ≠ row order.
const BATCHES: TestRow[][] = [
  [
    { ts: 50, event: 'pkt.tcp', pid: 30, comm: 'curl', proto: 6, saddr: '10.0.0.2', dport: 443, latency_ns: 7 },
    { ts: 60, event: 'sock.connect', pid: 10, comm: 'sshd', proto: 6, saddr: '::1', dport: 22 },
    { ts: 70, event: 'pkt.udp', pid: 20, comm: 'dig', proto: 17, saddr: '10.0.0.10', dport: 53, latency_ns: 3 },
  ],
  [
    { ts: 10, event: 'drop.nomem', pid: 30, comm: 'curl', saddr: '9.9.9.9', latency_ns: 7 },
    { ts: 20, event: 'pkt.tcp', proto: 6, dport: 9 },
    { ts: 30, event: 'sock.send', pid: 20, comm: 'curl', proto: 6, saddr: '10.0.0.2', dport: 80, latency_ns: 1.5e12 },
  ],
];
// Rows in time order: 3 (10), 4 (20), 5 (30), 0 (50), 1 (60), 2 (70).

function setup() {
  const store = appendTestRows(new EventStore(), BATCHES);
  const time = new TimeIndex(store);
  return { store, orders: new RowOrders(store, time) };
}

const sorted = (field: string | undefined, descending = false, mask?: RowMask) => Array.from(setup().orders.sorted(field, descending, mask));

test('time order is the default, and reversed when descending', () => {
  assert.deepEqual(sorted(undefined), [3, 4, 5, 0, 1, 2]);
  assert.deepEqual(sorted('time', true), [2, 1, 0, 5, 4, 3]);
});

test('numbers sort by value, ties in time order, rows without a value last both ways', () => {
  assert.deepEqual(sorted('pid'), [1, 5, 2, 3, 0, 4]);
  assert.deepEqual(sorted('pid', true), [3, 0, 5, 2, 1, 4]);
  assert.deepEqual(sorted('latency_ns'), [2, 3, 0, 5, 4, 1]);
  assert.deepEqual(sorted('latency_ns', true), [5, 3, 0, 2, 4, 1]);
  assert.deepEqual(sorted('dport'), [4, 1, 2, 5, 0, 3]);
});

test('text, addresses and derived fields sort by what they show', () => {
  assert.deepEqual(sorted('comm'), [3, 5, 0, 2, 1, 4]); // curl, curl, curl, dig, sshd, —
  assert.deepEqual(sorted('saddr'), [3, 5, 0, 2, 1, 4]); // 9.9.9.9 < 10.0.0.2 < 10.0.0.10 < ::1
  assert.deepEqual(sorted('event'), [3, 4, 0, 2, 1, 5]); // drop.nomem, pkt.tcp×2, pkt.udp, sock.connect, sock.send
  assert.deepEqual(sorted('class'), [1, 3, 4, 5, 0, 2]); // aux before core
  assert.deepEqual(sorted('priority'), [3, 1, 4, 5, 0, 2]); // EMERGENCY, NOTICE, then INFO
  // IANA names: discard (9), domain (53), https (443), ssh (22), www-http (80); no proto → none.
  assert.deepEqual(sorted('dport_name'), [4, 2, 0, 1, 5, 3]);
  assert.deepEqual(sorted('dport_name', true), [5, 1, 0, 2, 4, 3]);
});

test('a mask restricts the rows; orders are cached per mask and rebuilt after appends', () => {
  const { store, orders } = setup();
  const mask: RowMask = { bits: Uint8Array.from([1, 0, 1, 0, 1, 1]), count: 4 };
  const first = orders.sorted('pid', false, mask);
  assert.deepEqual(Array.from(first), [5, 2, 0, 4]);
  assert.equal(orders.sorted('pid', false, mask), first);
  appendTestRows(store, [[{ ts: 80, event: 'pkt.tcp', pid: 1 }]]);
  assert.deepEqual(Array.from(orders.sorted('pid', false)), [6, 1, 5, 2, 3, 0, 4]);
  assert.deepEqual(Array.from(orders.sorted('pid', false, mask)), [5, 2, 0, 4]); // rows past the mask are out
});

test('a page holds the rows of its range and their display text', () => {
  const { store, orders } = setup();
  const page = rowPage(store, orders.sorted('pid', false), 1, 3, ['pid', 'comm', 'event', 'saddr', 'dport_name', 'size']);
  assert.equal(page.total, 6);
  assert.equal(page.offset, 1);
  assert.deepEqual(Array.from(page.rows), [5, 2, 3]);
  assert.deepEqual(page.columns.pid, ['20', '20', '30']);
  assert.deepEqual(page.columns.comm, ['curl', 'dig', 'curl']);
  assert.deepEqual(page.columns.event, ['sock.send', 'pkt.udp', 'drop.nomem']);
  assert.deepEqual(page.columns.saddr, ['10.0.0.2', '10.0.0.10', '9.9.9.9']);
  assert.deepEqual(page.columns.dport_name, ['www-http', 'domain', '']);
  assert.deepEqual(page.columns.size, ['', '', '']);
  assert.equal(rowPage(store, orders.sorted(undefined, false), 5, 10, []).rows.length, 1);
  assert.equal(rowPage(store, orders.sorted(undefined, false), 9, 10, []).rows.length, 0);
});

test('display text of structured values', () => {
  assert.equal(displayText('tcp_flags', ['SYN', 'ACK']), 'SYN ACK');
  assert.equal(displayText('daddr_names', ['a.example.', 'b.example.']), 'a.example., b.example.');
  assert.equal(displayText('tcp_options', { mss: 1460, sack_permitted: true }), 'mss=1460 sack_permitted');
  assert.equal(displayText('ts_ns', 1714564800000000123n), '1714564800000000123');
  assert.equal(displayText('pid_owner', false), 'false');
});
