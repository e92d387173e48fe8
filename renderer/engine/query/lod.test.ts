import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchEvents, batchTimes } from '../store/batch.js';
import { EventStore } from '../store/event-store.js';
import { TimeIndex } from '../index/time-index.js';
import { LodSummary } from '../index/lod-summary.js';
import { EVENTS, LANE_COUNT, LANE_OF_EVENT, eventIndex } from '../model/events.js';
import { lodBuckets, type LodBuckets } from './lod.js';
import type { RowMask } from './row-mask.js';
import { appendSyntheticEvents, appendTestRows } from '../../../test/support/synthetic-events.js';

const TCP = 6; // core INFO lane
const CONNECT = 8 + 5; // aux NOTICE lane

function sources(store: EventStore) {
  return { store, time: new TimeIndex(store), summary: new LodSummary(store) };
}

/** The same buckets counted the slow, obvious way. */
function bruteForce(store: EventStore, t0: number, t1: number, w: number, mask?: RowMask): LodBuckets {
  const per = new Map<number, number[]>();
  for (let b = 0; b < store.batches.length; b++) {
    const batch = store.batches[b]!;
    for (let i = 0; i < batch.length; i++) {
      const t = batchTimes(batch)[i]!;
      const ev = batchEvents(batch)[i]!;
      if (t < t0 || t >= t1 || (mask && mask.bits[store.batchStart[b]! + i] !== 1)) continue;
      const cell = LANE_OF_EVENT[ev]! * w + Math.min(w - 1, Math.floor(((t - t0) * w) / (t1 - t0)));
      const counts = per.get(cell) ?? new Array<number>(EVENTS.length).fill(0);
      counts[ev]!++;
      per.set(cell, counts);
    }
  }
  const counts = new Uint32Array(LANE_COUNT * w);
  const dominant = new Int16Array(LANE_COUNT * w).fill(-1);
  for (const [cell, c] of per) {
    counts[cell] = c.reduce((a, b) => a + b, 0);
    dominant[cell] = c.indexOf(Math.max(...c));
  }
  return { t0, t1, width: w, counts, dominant };
}

test('counts and dominant event per lane and pixel column', () => {
  const store = appendTestRows(new EventStore(), [
    [
      { ts: 0, event: 'pkt.udp' },
      { ts: 5, event: 'pkt.udp' },
      { ts: 9, event: 'pkt.tcp' },
      { ts: 10, event: 'pkt.tcp' },
      { ts: 12, event: 'pkt.udp' },
      { ts: 19, event: 'pkt.tcp' },
      { ts: 25, event: 'sock.connect' },
      { ts: 40, event: 'pkt.tcp' }, // outside [0, 40)
    ],
  ]);
  const lod = lodBuckets(sources(store), 0, 40, 4);
  assert.equal(lod.width, 4);
  assert.deepEqual(Array.from(lod.counts.subarray(TCP * 4, TCP * 4 + 4)), [3, 3, 0, 0]);
  assert.deepEqual(Array.from(lod.dominant.subarray(TCP * 4, TCP * 4 + 4)), [eventIndex('pkt.udp'), eventIndex('pkt.tcp'), -1, -1]);
  assert.deepEqual(Array.from(lod.counts.subarray(CONNECT * 4, CONNECT * 4 + 4)), [0, 0, 1, 0]);
  assert.equal(lod.dominant[CONNECT * 4 + 2], eventIndex('sock.connect'));
  assert.equal(lod.counts.reduce((a, b) => a + b, 0), 7);
});

test('a mask keeps only its rows; an empty window counts nothing', () => {
  const store = appendTestRows(new EventStore(), [[{ ts: 1, event: 'pkt.tcp' }, { ts: 2, event: 'pkt.tcp' }, { ts: 3, event: 'pkt.udp' }]]);
  const mask: RowMask = { bits: Uint8Array.from([1, 0, 1]), count: 2 };
  const lod = lodBuckets(sources(store), 0, 4, 1, mask);
  assert.equal(lod.counts[TCP], 2);
  assert.equal(lod.dominant[TCP], eventIndex('pkt.tcp')); // tie 1–1: lowest event index wins
  assert.equal(lodBuckets(sources(store), 5, 5, 10).counts.reduce((a, b) => a + b, 0), 0);
});

test('the block summary gives the same buckets as a row scan, zoomed out and in', () => {
  const store = new EventStore();
  const src = sources(store);
  appendSyntheticEvents(store, { count: 30000, batchRows: 4096, seed: 3, jitterNs: 3000 });
  const first = src.time.firstTs;
  const last = src.time.lastTs;
  const span = last - first;
  const mask: RowMask = (() => {
    const bits = new Uint8Array(store.rowCount);
    for (let i = 0; i < bits.length; i += 3) bits[i] = 1;
    return { bits, count: bits.reduce((a, b) => a + b, 0) };
  })();
  for (const [t0, t1, w] of [
    [first, last + 1, 200],
    [first, last + 1, 7],
    [first + span * 0.3, first + span * 0.31, 500],
    [first - 100, first + span / 2, 33],
  ] as const) {
    const want = bruteForce(store, t0, t1, w);
    const got = lodBuckets(src, t0, t1, w);
    assert.deepEqual(got.counts, want.counts);
    assert.deepEqual(got.dominant, want.dominant);
    assert.deepEqual(lodBuckets({ store, time: src.time }, t0, t1, w).counts, want.counts);
    assert.deepEqual(lodBuckets(src, t0, t1, w, mask).counts, bruteForce(store, t0, t1, w, mask).counts);
  }
});
