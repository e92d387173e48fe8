import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storageValues, type Column } from '../../store/batch.js';
import { WriteScratch } from './write-scratch.js';

const valid = Uint8Array.of(0b1011_0101, 0b0000_0011); // rows 0 2 4 5 7 8 9 of 10

test('every column form comes out as storageValues would give it, in reused memory', () => {
  const columns: [Column, 'u32' | 'f64' | 'u16'][] = [
    [{ form: 'const', value: 7, valid }, 'u32'],
    [{ form: 'const', value: 2 ** 40, valid: null }, 'f64'],
    [{ form: 'sparse', packed: Uint8Array.of(1, 2, 3, 4, 5, 6, 7), valid, rank: Uint16Array.of(0) }, 'u16'],
    [{ form: 'dense', values: Uint8Array.from({ length: 10 }, (_, i) => i * 3), valid: null }, 'u32'],
  ];
  const scratch = new WriteScratch();
  for (let round = 0; round < 2; round++) {
    for (const [col, storage] of columns) {
      const got = scratch.values(0, col, storage, 10);
      assert.deepEqual(Array.from(got), Array.from(storageValues(col, storage, 10)));
      assert.equal(got.constructor, storageValues(col, storage, 10).constructor);
    }
  }
  const first = scratch.values(1, columns[0]![0], 'u32', 10);
  const again = scratch.values(1, columns[3]![0], 'u32', 10);
  assert.equal(first.buffer, again.buffer, 'one buffer per slot, batch after batch');
  const dense = { form: 'dense', values: new Uint32Array(10), valid: null } as const;
  assert.equal(scratch.values(2, dense, 'u32', 10), dense.values, 'a column already in its type is not copied');
});
