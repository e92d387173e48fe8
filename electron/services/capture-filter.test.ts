import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter } from '../../renderer/engine/filter/filter.js';
import { evaluateTree } from '../../renderer/engine/filter/evaluate.js';
import { EVENTS, eventIndex } from '../../renderer/engine/model/events.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { RowReader } from '../../renderer/engine/values/field-values.js';
import { selectedEvents, type CaptureFilter } from '../native/capture-config.js';
import { keepRows, pushDownFilter, singleBatchView } from './capture-filter.js';

const push = (expr: string, base: CaptureFilter = {}) => pushDownFilter(base, compileFilter(expr).root);
const ids = (f: CaptureFilter): string[] => selectedEvents(f).map((i) => EVENTS[i]!.id);

test('event terms become the exact event list, intersected with the class/priority selection', () => {
  const r = push("evt.name in (sock.connect, pkt.tcp, tcp.probe) and ps.comm contains 'x'", { priority: 'INFO' });
  assert.deepEqual(r.pushed, ['events']);
  assert.deepEqual(ids(r.filter), ['pkt.tcp', 'sock.connect']); // tcp.probe is VERBOSE: not in the INFO selection
  assert.deepEqual(ids(push('evt.class = core and evt.priority <= WARNING').filter), EVENTS.filter((e) => e.class === 'core' && e.priority <= 5).map((e) => e.id));
  assert.deepEqual(ids(push("not evt.name startswith 'pkt.' and evt.class = core", { priority: 'VERBOSE' }).filter), EVENTS.filter((e) => e.class === 'core' && !e.id.startsWith('pkt.')).map((e) => e.id));
});

test('addresses, ports, pid and comm map to kernel rules', () => {
  assert.deepEqual(push('net.dip in 10.0.0.0/8').filter.addrs, [{ type: 'dst', direction: 'both', cidr: '10.0.0.0/8' }]);
  assert.deepEqual(push('net.ip = ::1').filter.addrs, [
    { type: 'src', direction: 'both', cidr: '::1/128' },
    { type: 'dst', direction: 'both', cidr: '::1/128' },
  ]);
  assert.deepEqual(push('net.port = 53').filter.ports, [
    { type: 'src', direction: 'both', from: 53, to: 53 },
    { type: 'dst', direction: 'both', from: 53, to: 53 },
  ]);
  assert.deepEqual(push('net.dport >= 1024').filter.ports, [{ type: 'dst', direction: 'both', from: 1024, to: 65535 }]);
  assert.deepEqual(push('net.sport < 100').filter.ports, [{ type: 'src', direction: 'both', from: 0, to: 99 }]);
  assert.deepEqual(push('ps.pid in (7, 9)').filter.pids, [7, 9]);
  assert.deepEqual(push("ps.comm = 'curl'").filter.comms, ['curl']);
});

test('terms that do not map exactly are left to the batch filter', () => {
  for (const expr of [
    'net.dport != 80',
    'net.dport = 80 or ps.pid = 1',
    "ps.comm contains 'cu'",
    "ps.comm = 'a-name-longer-than-15-bytes'",
    'net.dport > 70000',
    'net.sip.names matches (\'*.example.\')',
    'not net.dip in 10.0.0.0/8',
  ]) {
    const r = push(expr);
    assert.deepEqual(r.pushed, [], expr);
    assert.deepEqual(r.filter, {}, expr);
  }
});

test('explicit options are never widened by the expression', () => {
  const base: CaptureFilter = { ports: [{ type: 'dst', direction: 'out', from: 443 }], pids: [5] };
  const r = push('net.dport = 80 and ps.pid = 6 and net.sip in 127.0.0.0/8', base);
  assert.deepEqual(r.filter.ports, base.ports);
  assert.deepEqual(r.filter.pids, base.pids);
  assert.deepEqual(r.pushed, ['addrs']);
});

test('only the first address and port terms are pushed (the kernel ORs rules of one kind)', () => {
  const r = push('net.dport = 80 and net.sport = 9000 and net.dip in 10.0.0.0/8 and net.sip in 192.168.0.0/16');
  assert.deepEqual(r.filter.ports, [{ type: 'dst', direction: 'both', from: 80, to: 80 }]);
  assert.deepEqual(r.filter.addrs, [{ type: 'dst', direction: 'both', cidr: '10.0.0.0/8' }]);
});

test('keepRows keeps exactly the rows the filter selects, every column', () => {
  const store = new EventStore();
  const b = store.builder(1000n, 16);
  for (let i = 0; i < 10; i++) {
    const r = b.addRow(i * 10, eventIndex(i % 2 ? 'pkt.tcp' : 'sock.send'));
    b.col('dport').set(r, 8000 + i);
    if (i % 3 === 0) b.setString('comm', r, `c${i}`);
    b.col('saddr').set(r, store.dicts.addrs.internV4(0x7f000001 + i));
  }
  const batch = b.finish()!;
  const mask = evaluateTree(singleBatchView(store, batch), compileFilter('evt.name = pkt.tcp and net.dport >= 8003').root);
  const kept = keepRows(store, batch, mask.bits, mask.count)!;
  assert.equal(kept.length, 4);
  const out = new EventStore();
  Object.assign(out, { dicts: store.dicts });
  out.append(kept);
  const reader = new RowReader(out);
  const rows = [0, 1, 2, 3].map((r) => reader.object(0, r));
  assert.deepEqual(rows.map((r) => [r.event, r.dport, r.comm, r.saddr, r.ts_ns]), [
    ['pkt.tcp', 8003, 'c3', '127.0.0.4', 1030n],
    ['pkt.tcp', 8005, undefined, '127.0.0.6', 1050n],
    ['pkt.tcp', 8007, undefined, '127.0.0.8', 1070n],
    ['pkt.tcp', 8009, 'c9', '127.0.0.10', 1090n],
  ]);
  assert.equal(keepRows(store, batch, new Uint8Array(10), 0), undefined);
});
