import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Storage } from '../model/fields.js';
import { allocValues, columnValue, denseValues, hasValue, slotOf, storageValues, type Column } from './batch.js';
import { clearMissing, sealColumn } from './seal.js';
import { mulberry32 } from '../../../test/support/rng.js';

/** Seals `rows` (undefined = no value) as the builder would for a column of `storage`. */
function seal(rows: readonly (number | undefined)[], storage: Storage = 'u32', key = 'pid'): Column | undefined {
  const values = allocValues(storage, rows.length);
  const valid = new Uint8Array((rows.length + 7) >>> 3);
  let count = 0;
  rows.forEach((v, r) => {
    if (v === undefined) return;
    values[r] = v;
    valid[r >>> 3]! |= 1 << (r & 7);
    count++;
  });
  return sealColumn(key, storage, values, valid, rows.length, count);
}

/** The column read back row by row through the public API. */
function readBack(col: Column | undefined, length: number): (number | undefined)[] {
  return Array.from({ length }, (_, r) => (col && hasValue(col, r) ? columnValue(col, r) : undefined));
}

function roundTrips(rows: readonly (number | undefined)[], storage: Storage = 'u32'): Column | undefined {
  const col = seal(rows, storage);
  assert.deepEqual(readBack(col, rows.length), rows);
  if (col) {
    assert.deepEqual(Array.from(denseValues(col, rows.length)), rows.map((v) => v ?? 0));
    const wide = storageValues(col, storage, rows.length);
    assert.equal(wide.constructor, allocValues(storage, 0).constructor);
    assert.deepEqual(Array.from(wide), rows.map((v) => v ?? 0));
  }
  return col;
}

test('a column without any value is left out', () => {
  assert.equal(roundTrips([undefined, undefined, undefined]), undefined);
});

test('one value in every row with a value is a constant, with or without a bitmap', () => {
  const full = roundTrips([7, 7, 7, 7]);
  assert.deepEqual(full, { form: 'const', value: 7, valid: null });
  const partial = roundTrips([undefined, 70000, undefined, 70000]);
  assert.equal(partial?.form, 'const');
  assert.deepEqual(Array.from(partial!.valid!), [0b1010]);
  assert.equal(roundTrips([undefined, 5, undefined, undefined, undefined, undefined, undefined, undefined, undefined])?.form, 'const');
});

test('integers take the narrowest array that holds the largest value, at the type limits', () => {
  const narrowest = (max: number, storage: Storage = 'u32'): string => {
    const col = roundTrips([0, max, 1, max - 1], storage);
    assert.equal(col?.form, 'dense');
    return col!.form === 'dense' ? col!.values.constructor.name : '';
  };
  assert.equal(narrowest(255), 'Uint8Array');
  assert.equal(narrowest(256), 'Uint16Array');
  assert.equal(narrowest(65535), 'Uint16Array');
  assert.equal(narrowest(65536), 'Uint32Array');
  assert.equal(narrowest(0xffffffff), 'Uint32Array');
  assert.equal(narrowest(300, 'u16'), 'Uint16Array');
  assert.equal(narrowest(200, 'u16'), 'Uint8Array');
});

test('f64 columns narrow only when every value is an integer in [0, 2^32)', () => {
  const kind = (rows: number[]): string => {
    const col = roundTrips(rows, 'f64');
    return col!.form === 'dense' ? col!.values.constructor.name : col!.form;
  };
  assert.equal(kind([1, 2, 1000]), 'Uint16Array');
  assert.equal(kind([1, 0xffffffff]), 'Uint32Array');
  assert.equal(kind([1, 2 ** 32]), 'Float64Array');
  assert.equal(kind([1, 2.5]), 'Float64Array');
  assert.equal(kind([1, -1]), 'Float64Array');
  assert.equal(kind([2 ** 53, 2 ** 53 - 1]), 'Float64Array');
  // Rows without a value hold 0: negative, NaN or fractional values must not pass for a constant 0.
  for (const v of [-3, Number.NaN, 0.5, -0.5]) assert.equal(roundTrips([undefined, v, v, undefined, v], 'f64')?.form, 'dense');
  assert.deepEqual(roundTrips([undefined, 0, 0, undefined], 'f64'), { form: 'const', value: 0, valid: Uint8Array.of(0b0110) });
  assert.equal(roundTrips([undefined, 0, 5, undefined])?.form, 'dense');
});

test('ts_ns and event stay dense in their storage type even when constant or sparse', () => {
  const ts = seal([5, 5, 5], 'f64', 'ts_ns');
  assert.equal(ts?.form, 'dense');
  assert.ok(ts?.form === 'dense' && ts.values instanceof Float64Array);
  const ev = seal([3, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined], 'u8', 'event');
  assert.ok(ev?.form === 'dense' && ev.values instanceof Uint8Array);
});

test('a column filled in at most 1/8 of the rows is sparse; one row more is dense', () => {
  const rows = (filled: number, length: number): (number | undefined)[] =>
    Array.from({ length }, (_, r) => (r % Math.floor(length / filled) === 3 && r < filled * Math.floor(length / filled) ? 1 + (r % 300) : undefined));
  const eighth = rows(100, 800);
  assert.equal(eighth.filter((v) => v !== undefined).length, 100);
  assert.equal(roundTrips(eighth)?.form, 'sparse');
  const more = eighth.slice();
  more[0] = 9;
  assert.equal(roundTrips(more)?.form, 'dense');
});

test('sparse columns find each row slot through the rank directory, across blocks', () => {
  const length = 70000; // more than 65536 rows: a 32-bit rank directory
  const rows: (number | undefined)[] = Array.from({ length }, (_, r) => (r % 97 === 0 || r === length - 1 ? r : undefined));
  const col = roundTrips(rows);
  assert.equal(col?.form, 'sparse');
  if (col?.form !== 'sparse') return;
  assert.ok(col.rank instanceof Uint32Array);
  assert.equal(col.packed.constructor.name, 'Uint32Array');
  let slot = 0;
  for (let r = 0; r < length; r++) if (rows[r] !== undefined) assert.equal(slotOf(col, r), slot++);
  const small = seal(Array.from({ length: 1000 }, (_, r) => (r % 9 === 0 ? r & 0xff : undefined)));
  assert.ok(small?.form === 'sparse' && small.rank instanceof Uint16Array && small.packed instanceof Uint8Array);
});

test('sealing keeps only `length` rows of a longer builder buffer', () => {
  const values = new Uint32Array(16).fill(9);
  values[1] = 3;
  const valid = new Uint8Array(2).fill(0xff);
  const col = sealColumn('pid', 'u32', values, valid, 3, 3);
  assert.ok(col?.form === 'dense');
  assert.deepEqual(Array.from(denseValues(col, 3)), [9, 3, 9]);
  assert.equal(denseValues(col, 3).length, 3);
});

test('clearMissing zeroes exactly the rows without a value: runs of empty bytes, mixed bytes, a partial last byte', () => {
  const rand = mulberry32(17);
  for (const length of [0, 1, 7, 8, 9, 63, 64, 1000, 4099]) {
    const valid = new Uint8Array(((length + 7) >>> 3) + 2).fill(0); // spare bytes past the end
    for (let b = 0; b < valid.length; b++) {
      const kind = rand();
      valid[b] = kind < 0.3 ? 0 : kind < 0.6 ? 0xff : Math.floor(rand() * 256);
    }
    const values = Float64Array.from({ length: length + 5 }, (_, i) => i + 1);
    clearMissing(values, valid, length);
    for (let r = 0; r < values.length; r++) {
      const has = r >= length || (valid[r >>> 3]! & (1 << (r & 7))) !== 0;
      assert.equal(values[r], has ? r + 1 : 0, `row ${r} of ${length}`);
    }
  }
});
