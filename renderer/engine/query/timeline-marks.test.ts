import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../engine.js';
import { eventIndex } from '../model/events.js';
import { EventStore } from '../store/event-store.js';
import { appendTestRows } from '../../../test/support/synthetic-events.js';

function engineWith(rows: Parameters<typeof appendTestRows>[1]): Engine {
  return new Engine({ store: appendTestRows(new EventStore(), rows) });
}

test('pick finds the nearest row of the clicked lane within the slop, in the filtered set', () => {
  // Out of time order across batches, as pcap files and per-CPU rings deliver them.
  const engine = engineWith([
    [
      { ts: 100, event: 'pkt.tcp', pid: 1 },
      { ts: 130, event: 'pkt.tcp', pid: 2 },
    ],
    [
      { ts: 95, event: 'sock.connect', pid: 3 },
      { ts: 104, event: 'pkt.tcp', pid: 4 },
    ],
  ]);
  const tcpLane = engine.rowPlace({ row: 0 }).lane;
  assert.equal(engine.pick({ t: 103, slop: 10, lane: tcpLane })?.row, 3);
  assert.equal(engine.pick({ t: 103, slop: 10, lane: tcpLane, filter: 'ps.pid = 1' })?.row, 0);
  assert.equal(engine.pick({ t: 96, slop: 2, lane: tcpLane }), null);
  assert.equal(engine.pick({ t: 96, slop: 2, lane: engine.rowPlace({ row: 2 }).lane })?.row, 2);
  assert.equal(engine.pick({ t: 129, slop: 5, groupBy: 'process', group: '2:-1', shownGroups: ['2:-1'] })?.row, 1);
  assert.deepEqual(engine.rowPlace({ row: 2 }), { row: 2, t: 95, lane: engine.rowPlace({ row: 2 }).lane });
  assert.throws(() => engine.rowPlace({ row: 4 }), RangeError);
});

test('eventMarks lists capture.lost times in the window, with how many records each lost', () => {
  const store = appendTestRows(new EventStore(), [
    [
      { ts: 10, event: 'pkt.tcp' },
      { ts: 20, event: 'capture.lost' },
    ],
    [{ ts: 5, event: 'capture.lost' }],
  ]);
  // One with the number of records it lost, as the capture writes them.
  const b = store.builder(store.baseNs!, 1);
  const r = b.addRow(40, eventIndex('capture.lost'));
  b.col('lost').set(r, 1234);
  store.append(b.finish()!);
  const engine = new Engine({ store });
  const marks = engine.eventMarks({ event: 'capture.lost', t0: 0, t1: 100 });
  assert.deepEqual(Array.from(marks.ts), [5, 20, 40]);
  assert.deepEqual(Array.from(marks.lost), [NaN, NaN, 1234]);
  assert.equal(marks.total, 3);
  const some = engine.eventMarks({ event: 'capture.lost', t0: 6, t1: 100, limit: 1 });
  assert.deepEqual([Array.from(some.ts), some.total], [[20], 2]);
  assert.equal(engine.eventMarks({ event: 'capture.lost', t0: 41, t1: 100 }).total, 0);
  assert.equal(engineWith([[{ ts: 1, event: 'pkt.tcp' }]]).eventMarks({ event: 'capture.lost', t0: 0, t1: 10 }).total, 0);
});
