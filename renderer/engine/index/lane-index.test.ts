import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../store/event-store.js';
import { LANE_OF_EVENT, eventIndex } from '../model/events.js';
import { LaneIndex, laneOfEvent } from './lane-index.js';
import { appendTestRows } from '../../../test/support/synthetic-events.js';

test('lanes are class × 8 + priority − 1', () => {
  assert.equal(laneOfEvent(eventIndex('drop.nomem')), 0); // core EMERGENCY
  assert.equal(laneOfEvent(eventIndex('pkt.tcp')), 6); // core INFO
  assert.equal(laneOfEvent(eventIndex('sock.connect_error')), 8 + 3); // aux ERROR
  assert.equal(laneOfEvent(eventIndex('capture.lost')), 8 + 1); // aux ALERT
  assert.ok(LANE_OF_EVENT.every((lane) => lane < 16));
});

test('lane totals follow appends and lane masks select rows by lane', () => {
  const store = new EventStore();
  const lanes = new LaneIndex(store);
  appendTestRows(store, [[{ ts: 1, event: 'pkt.tcp' }, { ts: 2, event: 'sock.connect' }], [{ ts: 3, event: 'pkt.udp' }]]);
  assert.equal(lanes.laneTotals[6], 2);
  assert.equal(lanes.laneTotals[8 + 5], 1);
  assert.equal(lanes.eventTotals[eventIndex('pkt.udp')], 1);
  const mask = lanes.laneMask([8 + 5]);
  assert.deepEqual(Array.from(mask.bits), [0, 1, 0]);
  assert.equal(mask.count, 1);
  lanes.dispose();
  appendTestRows(store, [[{ ts: 4, event: 'pkt.tcp' }]]);
  assert.equal(lanes.laneTotals[6], 2);
});
