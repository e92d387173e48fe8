/**
 * The JSON Lines exporter against the reference path it must match byte for byte:
 * `toJson(new RowReader(store).object(batch, row))` per row (what the details pane shows). The
 * store mixes synthetic traffic in small batches (so columns are sealed in every form) with a
 * batch where every stored field takes random values: unknown enum numbers, flag masks, strings
 * that need escaping, IPv4/IPv6 addresses with DNS names, fractions, NaN and huge f64 values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportJsonl } from '../../renderer/engine/formats/jsonl/jsonl-export.js';
import { STORED_FIELDS } from '../../renderer/engine/model/fields.js';
import { EVENTS } from '../../renderer/engine/model/events.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { RowReader, toJson } from '../../renderer/engine/values/field-values.js';
import { appendSyntheticEvents } from '../support/synthetic-events.js';
import { mulberry32 as rng } from '../support/rng.js';

const STRINGS = ['curl', '', 'a "quoted" \\ name', 'tab\there\nnewline', '\u0000\u001f\u007f', 'émoji 🚀', 'lone \ud800 surrogate', '</script>', 'x'.repeat(40)];
const ADDRS = ['10.0.0.1', '192.168.1.9', '::1', '2001:db8::5', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0', '255.255.255.255'];

/** A batch of `rows` rows where each stored field has a value in a random share of the rows. */
function appendKitchenSink(store: EventStore, rows: number, baseNs: bigint, rand: () => number): void {
  const b = store.builder(baseNs, rows);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const fill = new Map(STORED_FIELDS.map((f) => [f.key, pick([0, 0.05, 0.5, 1])]));
  for (let i = 0; i < rows; i++) {
    const r = b.addRow(Math.floor(rand() * 1e12), Math.floor(rand() * EVENTS.length));
    for (const f of STORED_FIELDS) {
      if (f.key === 'ts_ns' || f.key === 'event' || rand() >= fill.get(f.key)!) continue;
      const col = b.col(f.key as never);
      switch (f.storage) {
        case 'str':
          b.setString(f.key as never, r, pick(STRINGS));
          break;
        case 'addr':
          col.set(r, store.dicts.addrs.internText(pick(ADDRS))!);
          break;
        case 'u8':
          col.set(r, pick([0, 1, 2, 3, 5, 6, 7, 17, 58, 200, 255, Math.floor(rand() * 256)]));
          break;
        case 'u16':
          col.set(r, pick([0, 1, 22, 53, 80, 443, 511, 65535, Math.floor(rand() * 65536)]));
          break;
        case 'u32':
          col.set(r, pick([0, 1, 4242, 2 ** 31, 4294967295, Math.floor(rand() * 2 ** 32)]));
          break;
        case 'f64':
          col.set(r, pick([0, 1, 1.5, 2 ** 53, 1e21, 1e300, Number.NaN, 123456789012345, Math.floor(rand() * 1e15)]));
      }
    }
  }
  store.append(b.finish()!);
}

function mixedStore(): EventStore {
  const store = new EventStore();
  const rand = rng(99);
  appendSyntheticEvents(store, { count: 20000, seed: 5, batchRows: 2500, jitterNs: 5000 });
  appendKitchenSink(store, 3000, store.baseNs! + 10_000_000_000n, rand);
  appendKitchenSink(store, 500, store.baseNs! - 5_000_000_000n, rand);
  for (const a of ADDRS.slice(0, 5)) store.dns.add(store.dicts.addrs.internText(a)!, `${a.length % 3 ? 'host' : 'ns'}.example.com.`);
  store.dns.add(store.dicts.addrs.internText('2001:db8::5')!, 'second "name".example.');
  store.meta.wallOffsetNs = 1_600_000_000_123_456_789n;
  return store;
}

function exported(store: EventStore, bits?: Uint8Array): string {
  const parts: Uint8Array[] = [];
  exportJsonl(store, bits && { bits, count: bits.reduce((n, b) => n + b, 0) }, (c) => parts.push(c));
  return Buffer.concat(parts).toString('utf8');
}

function reference(store: EventStore, bits?: Uint8Array): string {
  const reader = new RowReader(store);
  const lines: string[] = [];
  for (let b = 0; b < store.batches.length; b++) {
    for (let r = 0; r < store.batches[b]!.length; r++) {
      if (bits && bits[store.batchStart[b]! + r] !== 1) continue;
      lines.push(toJson(reader.object(b, r)) + '\n');
    }
  }
  return lines.join('');
}

test('JSON Lines export writes exactly what RowReader.object + toJson give, row for row', () => {
  const store = mixedStore();
  const want = reference(store);
  const got = exported(store);
  if (got !== want) {
    const a = got.split('\n');
    const b = want.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    assert.equal(a[i], b[i], `first difference at line ${i}`);
  }
  assert.equal(got, want);
  assert.ok(want.includes('"saddr_names"') && want.includes('\\u0000') && want.includes('"tcp_options":{'));
});

test('JSON Lines export with a mask writes the selected rows only, the same way', () => {
  const store = mixedStore();
  const rand = rng(3);
  const bits = Uint8Array.from({ length: store.rowCount }, () => (rand() < 0.3 ? 1 : 0));
  assert.equal(exported(store, bits), reference(store, bits));
});
