import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS } from '../../renderer/engine/model/events.js';
import { ENUMS } from '../../renderer/engine/records/layout.gen.js';
import { nativeConfig, selectedEvents, type CaptureFilter } from './capture-config.js';

const ids = (filter: CaptureFilter) => selectedEvents(filter).map((i) => EVENTS[i]!.id);
const wire = (name: keyof typeof ENUMS.wv_event) => ENUMS.wv_event[name];

test('WindView rule: classes and priority threshold, then enable wins over disable', () => {
  const core = ids({ classes: ['core'], priority: 'WARNING' });
  assert.ok(core.includes('tcp.retransmit')); // core, WARNING
  assert.ok(core.includes('drop.nomem')); // core, EMERGENCY
  assert.ok(!core.includes('sock.send')); // INFO is below WARNING
  assert.ok(!core.includes('sock.connect_error')); // aux
  for (const id of core) {
    const e = EVENTS.find((d) => d.id === id)!;
    assert.ok(e.class === 'core' && e.priority <= 5, id);
  }
  const tuned = ids({ classes: ['core'], priority: 5, enable: ['sock.send', 'tcp.state'], disable: ['tcp.retransmit', 'tcp.state'] });
  assert.ok(tuned.includes('sock.send') && tuned.includes('tcp.state'));
  assert.ok(!tuned.includes('tcp.retransmit'));
  assert.equal(ids({}).length, EVENTS.filter((e) => e.priority <= 7).length); // default: every class at INFO
});

test('events go to the kernel as their records.h numbers', () => {
  const config = nativeConfig({ classes: [], enable: ['sock.send', 'pkt.tcp', 'capture.lost'] });
  assert.deepEqual(config.events.sort((a, b) => a - b), [wire('WV_EV_SOCK_SEND'), wire('WV_EV_PKT_TCP'), wire('WV_EV_CAPTURE_LOST')].sort((a, b) => a - b));
});

test('address and port rules become filter entries with type, direction bits, family and prefix', () => {
  const config = nativeConfig({
    addrs: [{ type: 'dst', direction: 'out', cidr: '10.1.0.0/16' }, { type: 'src', direction: 'both', cidr: '::1' }],
    ports: [{ type: 'src', direction: 'in', from: 8000, to: 8080 }, { type: 'dst', direction: 'out', from: 53 }],
    pids: [42],
    comms: ['curl'],
  });
  assert.deepEqual(config.addrs.map(({ addr, ...rest }) => ({ ...rest, addr: [...addr] })), [
    { type: 1, directions: 2, family: 2, prefixLen: 16, addr: [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    { type: 0, directions: 3, family: 10, prefixLen: 128, addr: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
  ]);
  assert.deepEqual(config.ports, [{ type: 0, directions: 1, lo: 8000, hi: 8080 }, { type: 1, directions: 2, lo: 53, hi: 53 }]);
  assert.deepEqual([config.pids, config.comms, config.probeEvery], [[42], ['curl'], 1]);
});

test('bad options are refused with a message naming the option', () => {
  const bad: [CaptureFilter, RegExp][] = [
    [{ priority: 'LOUD' as never }, /"priority" to be one of EMERGENCY/],
    [{ priority: 9 }, /"priority" to be an integer from 1 to 8/],
    [{ classes: ['net' as never] }, /"classes" to hold core or aux/],
    [{ enable: ['sock.sendd'] }, /"enable" to hold catalog event ids, got "sock.sendd"/],
    [{ addrs: [{ type: 'src', direction: 'in', cidr: '10.0.0.0/33' }] }, /"addrs\[0\]\.cidr" to be an address or CIDR/],
    [{ addrs: [{ type: 'from' as never, direction: 'in', cidr: '10.0.0.1' }] }, /"addrs\[0\]\.type" to be "src" or "dst"/],
    [{ ports: [{ type: 'dst', direction: 'sideways' as never, from: 1 }] }, /"ports\[0\]\.direction"/],
    [{ ports: [{ type: 'dst', direction: 'in', from: 80, to: 79 }] }, /"ports\[0\]\.to"/],
    [{ ports: [{ type: 'dst', direction: 'in', from: 70000 }] }, /"ports\[0\]\.from" to be a port number/],
    [{ pids: [0] }, /"pids" to hold process ids/],
    [{ comms: ['a-very-long-command-name'] }, /"comms" entry to be 1 to 15 bytes/],
    [{ addrs: Array.from({ length: 17 }, () => ({ type: 'src' as const, direction: 'in' as const, cidr: '1.2.3.4' })) }, /at most 16 "addrs"/],
    [{ probeEvery: 0 }, /"probeEvery" to be a positive integer/],
  ];
  for (const [filter, message] of bad) assert.throws(() => nativeConfig(filter), message);
});
