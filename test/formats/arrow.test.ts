import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../renderer/engine/errors.js';
import { createTraceImporter } from '../../renderer/engine/formats/arrow/trace-reader.js';
import { TraceWriter } from '../../renderer/engine/formats/arrow/trace-writer.js';
import { STORED_FIELDS } from '../../renderer/engine/model/fields.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { rng, syntheticTcpStore } from './arrow-synthetic.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes `store` and returns the file and the byte offset where each batch's bytes end. */
function writeTrace(store: EventStore, compress = true): { file: Uint8Array; ends: number[] } {
  const parts: Uint8Array[] = [];
  const w = new TraceWriter(store, (c) => parts.push(c), { compress });
  w.begin();
  const ends: number[] = [];
  let size = parts.reduce((n, p) => n + p.length, 0);
  for (const b of store.batches) {
    size += w.writeBatch(b).length;
    ends.push(size);
  }
  w.end();
  return { file: concat(parts), ends };
}

/** Imports `bytes` pushed in random-sized chunks. */
function readTrace(bytes: Uint8Array, seed = 7): EventStore {
  const store = new EventStore();
  const imp = createTraceImporter(store, 'test.arrows');
  const rand = rng(seed);
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(rand() * 50_000);
    imp.push(bytes.slice(at, at + n));
    at += n;
  }
  imp.end();
  return store;
}

function assertSameStore(a: EventStore, b: EventStore): void {
  assert.equal(b.rowCount, a.rowCount);
  assert.equal(b.batches.length, a.batches.length);
  assert.equal(b.baseNs, a.baseNs);
  for (let i = 0; i < a.batches.length; i++) {
    const x = a.batches[i]!;
    const y = b.batches[i]!;
    assert.equal(y.length, x.length);
    for (const f of STORED_FIELDS) {
      const cx = x.columns[f.key];
      const cy = y.columns[f.key];
      assert.equal(cy === undefined, cx === undefined, `batch ${i} column ${f.key} presence`);
      if (!cx || !cy) continue;
      // The reader seals columns like the builder: same form, same narrow arrays.
      assert.deepEqual(cy, cx, `batch ${i} column ${f.key}`);
    }
  }
  for (const key of ['source', 'comm']) assert.deepEqual(b.dicts.strings(key).all(), a.dicts.strings(key).all());
  assert.equal(b.dicts.addrs.size, a.dicts.addrs.size);
  for (let id = 0; id < a.dicts.addrs.size; id++) assert.equal(b.dicts.addrs.text(id), a.dicts.addrs.text(id));
  assert.deepEqual([...b.dns.entries()], [...a.dns.entries()]);
}

test('store → arrow → store keeps columns, dictionaries, DNS names and metadata', () => {
  const original = syntheticTcpStore(30_000, 3, 7000);
  original.meta.wallOffsetNs = 1_700_000_000_123_456_789n;
  original.meta.kernel = '6.1.0-18-amd64';
  original.meta.lost = 12;
  for (const compress of [true, false]) {
    const back = readTrace(writeTrace(original, compress).file);
    assertSameStore(original, back);
    assert.equal(back.meta.truncated, undefined);
    assert.deepEqual(back.meta, original.meta);
  }
});

test('dictionary entries and DNS names added between batches reach the reader as deltas', () => {
  const store = new EventStore();
  const parts: Uint8Array[] = [];
  const w = new TraceWriter(store, (c) => parts.push(c));
  w.begin();
  for (let k = 0; k < 5; k++) {
    const b = store.builder(1000n * BigInt(k), 10);
    for (let r = 0; r < 10; r++) {
      const row = b.addRow(r, 0);
      b.setString('comm', row, `proc-${k}-${r % 3}`);
      b.col('saddr').set(row, store.dicts.addrs.internV4(0x0a000000 + k * 10 + r));
    }
    store.dns.add(store.dicts.addrs.internV4(0x0a000000 + k * 10), `host${k}.lan`);
    store.append(b.finish()!);
    w.writeBatch(store.batches[k]!);
  }
  w.end();
  const back = readTrace(concat(parts));
  assertSameStore(store, back);
  assert.deepEqual(back.dns.namesOf(back.dicts.addrs.internText('10.0.0.40')!), ['host4.lan.']);
});

test('a trace cut at any offset keeps every whole batch before the cut and says it was cut', () => {
  const original = syntheticTcpStore(6000, 5, 500);
  const { file, ends } = writeTrace(original);
  const rand = rng(99);
  const cuts = Array.from({ length: 150 }, () => Math.floor(rand() * file.length));
  cuts.push(0 + 1, ends[0]!, ends[0]! - 1, ends[3]! + 1, file.length - 1);
  for (const cut of cuts) {
    const back = readTrace(file.subarray(0, cut), cut);
    const whole = ends.filter((e) => e <= cut).length;
    const rows = original.batches.slice(0, whole).reduce((n, b) => n + b.length, 0);
    assert.equal(back.rowCount, rows, `cut at ${cut}`);
    assert.ok(back.meta.truncated, `cut at ${cut} is reported`);
    assert.match(back.meta.truncated.message, /cut short at byte \d+: kept \d+ events/);
  }
  assert.equal(readTrace(file).meta.truncated, undefined);
});

test('garbage is refused with an InputError and an offset, never a crash', () => {
  const rand = rng(11);
  const { file } = writeTrace(syntheticTcpStore(3000, 2, 1000));
  const inputs: Uint8Array[] = [
    new TextEncoder().encode('Timestamp,PID\n'),
    Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256)),
  ];
  for (let k = 0; k < 60; k++) {
    const damaged = file.slice();
    for (let i = 0; i < damaged.length * 0.02; i++) damaged[Math.floor(rand() * damaged.length)] = Math.floor(rand() * 256);
    inputs.push(damaged);
  }
  let refused = 0;
  for (const bytes of inputs) {
    try {
      readTrace(bytes);
    } catch (e) {
      assert.ok(e instanceof InputError, `unexpected ${String(e)}`);
      assert.equal(typeof e.offset, 'number');
      refused++;
    }
  }
  assert.ok(refused >= 2);
  assert.throws(() => readTrace(new Uint8Array(0)), InputError);
});

test('compressed packet traces stay under 40 bytes per event', () => {
  const store = syntheticTcpStore(200_000, 8);
  const { file } = writeTrace(store);
  const perEvent = file.length / store.rowCount;
  assert.ok(perEvent <= 40, `${perEvent.toFixed(1)} bytes/event`);
});
