import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as lz4 from 'lz4js';
import { mulberry32 } from '../../../../test/support/rng.js';
import { lz4FrameDecode, lz4FrameEncode, markZeroFilled } from './lz4-codec.js';
import { lz4DecodeBlock, lz4DecodeSizedFrame, lz4ZeroFrameSize } from './lz4-decode.js';

/** Runs of zeros and of other bytes, repeats with periods 1…40, counters and noise. */
function columnLike(n: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const len = Math.min(n - i, 1 + Math.floor(rand() * 3000));
    const kind = Math.floor(rand() * 4);
    const period = 1 + Math.floor(rand() * 40);
    const pattern = Uint8Array.from({ length: period }, () => Math.floor(rand() * 256));
    for (let k = 0; k < len; k++) out[i + k] = kind === 0 ? 0 : kind === 1 ? pattern[k % period]! : kind === 2 ? (k >>> 3) & 255 : Math.floor(rand() * 256);
    i += len;
  }
  return out;
}

test('blocks lz4js writes (every match length and offset it picks) decode to the same bytes', () => {
  for (const [n, seed] of [[0, 1], [1, 2], [100, 3], [70_000, 4], [300_000, 5]] as const) {
    const data = columnLike(n, seed);
    const block = new Uint8Array(lz4.compressBound(n));
    const size = lz4.compressBlock(data, block, 0, n, new Uint32Array(1 << 16));
    if (size === 0) continue; // lz4js stores incompressible input as is
    const out = new Uint8Array(n);
    assert.equal(lz4DecodeBlock(block, 0, size, out, 0, n), n);
    assert.deepEqual(out, data);
  }
});

test('our frames decode with exact allocation, across 4 MiB blocks; frames without a size are left to the caller', () => {
  for (const n of [0, 13, 65_536, (4 << 20) + 12_345]) {
    const data = columnLike(n, n);
    const out = lz4DecodeSizedFrame(lz4FrameEncode(data), Infinity)!;
    assert.equal(out.buffer.byteLength, n);
    assert.deepEqual(out, data);
  }
  assert.equal(lz4DecodeSizedFrame(lz4.compress(columnLike(1000, 9)), Infinity), undefined);
});

test('frames of the lz4 tool with content size, linked blocks and checksums decode', (t) => {
  if (spawnSync('lz4', ['--version']).error) return t.skip('lz4 command not installed');
  const data = columnLike(600_000, 21);
  const dir = mkdtempSync(join(tmpdir(), 'wireview-lz4-'));
  try {
    // The tool states the size only when it reads a file; -B4: 64 KiB blocks, so linked blocks (-BD) reach back into earlier ones.
    const input = join(dir, 'data');
    writeFileSync(input, data);
    for (const flags of [['--content-size'], ['--content-size', '-BD', '-B4', '-BX']]) {
      const r = spawnSync('lz4', ['-c', '-q', ...flags, input]);
      assert.equal(r.status, 0, r.stderr.toString());
      const frame = new Uint8Array(r.stdout);
      assert.ok(frame[4]! & 0x08, 'the frame states its content size');
      assert.deepEqual(lz4DecodeSizedFrame(frame, Infinity), data, flags.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every literal length 1…40 and match length 4…40 at offsets just below, at and above it decodes byte for byte', () => {
  // Hand-built sequences around the word-copy limits: literals then a match, expected output built one byte at a time.
  const rand = mulberry32(77);
  for (let literals = 1; literals <= 40; literals++) {
    for (let length = 4; length <= 40; length++) {
      for (const offset of [1, 2, length - 1, length, length + 1, literals + 3]) {
        if (offset < 1 || offset > literals + 8) continue;
        const prefix = Array.from({ length: 8 }, () => Math.floor(rand() * 255) + 1);
        const lit = Array.from({ length: literals }, () => Math.floor(rand() * 255) + 1);
        const expected = [...prefix, ...lit];
        for (let k = 0; k < length; k++) expected.push(expected[expected.length - offset]!);
        const tail = [9, 8, 7, 6, 5];
        expected.push(...tail);
        const lengthBytes = (n: number): number[] => (n < 15 ? [] : [...Array<number>(Math.floor((n - 15) / 255)).fill(255), (n - 15) % 255]);
        const block = [
          (Math.min(literals, 15) << 4) | Math.min(length - 4, 15),
          ...lengthBytes(literals),
          ...lit,
          offset & 255,
          offset >> 8,
          ...lengthBytes(length - 4),
          tail.length << 4,
          ...tail,
        ];
        const out = new Uint8Array(expected.length + 16);
        out.set(prefix);
        const end = lz4DecodeBlock(Uint8Array.from(block), 0, block.length, out, prefix.length, expected.length);
        assert.equal(end, expected.length);
        assert.deepEqual([...out.subarray(0, end)], expected, `literals ${literals}, match ${length} at offset ${offset}`);
        assert.ok(out.subarray(end).every((x) => x === 0), 'nothing written past the output');
      }
    }
  }
});

test('damaged frames throw instead of reading or writing out of bounds', () => {
  const data = columnLike(50_000, 33);
  const frame = lz4FrameEncode(data);
  assert.throws(() => lz4DecodeSizedFrame(frame.subarray(0, frame.length - 9), Infinity), /LZ4/);
  assert.throws(() => lz4DecodeSizedFrame(frame, 100), /claims/);
  const bigger = frame.slice();
  bigger[6]! += 1; // content size one more than the blocks hold
  assert.throws(() => lz4DecodeSizedFrame(bigger, Infinity), /holds/);
  // A match offset pointing before the output.
  assert.throws(() => lz4DecodeBlock(Uint8Array.of(0x00, 0x05, 0x00, 0x10), 0, 4, new Uint8Array(64), 0, 64), /offset/);
  // A literal run longer than the block.
  assert.throws(() => lz4DecodeBlock(Uint8Array.of(0x50, 1, 2), 0, 3, new Uint8Array(64), 0, 64), /literals/);
  // A match past the end of the output.
  assert.throws(() => lz4DecodeBlock(Uint8Array.of(0x1f, 7, 0x01, 0x00, 0xff, 0x10), 0, 6, new Uint8Array(64), 0, 64), /past the end/);
  const rand = mulberry32(5);
  for (let k = 0; k < 300; k++) {
    const bad = frame.slice();
    for (let j = 0; j < 3; j++) bad[15 + Math.floor(rand() * (bad.length - 15))] = Math.floor(rand() * 256);
    try {
      const out = lz4DecodeSizedFrame(bad, Infinity)!;
      assert.equal(out.length, data.length);
    } catch (e) {
      assert.match((e as Error).message, /LZ4/);
    }
  }
});

test('frames of zeros are recognised without decoding, and decode to zeros of the stated size', () => {
  const zeroBuffer = new ArrayBuffer(6 << 20);
  markZeroFilled(zeroBuffer); // the writer's all-null columns
  for (const n of [0, 8, 100, 65_536, (4 << 20) + 99]) {
    for (const frame of [lz4FrameEncode(new Uint8Array(n)), lz4FrameEncode(new Uint8Array(zeroBuffer, 0, n))]) {
      assert.equal(lz4ZeroFrameSize(frame), n);
      const out = lz4FrameDecode(frame);
      assert.equal(out.length, n);
      assert.ok(out.every((x) => x === 0));
    }
  }
  const oneByte = new Uint8Array(70_000);
  for (const at of [0, 35_000, 69_999]) {
    oneByte.fill(0).fill(3, at, at + 1);
    const frame = lz4FrameEncode(oneByte);
    assert.equal(lz4ZeroFrameSize(frame), -1, `a 3 at ${at}`);
    assert.deepEqual(lz4FrameDecode(frame), oneByte);
  }
  // A frame of zeros whose stated size is not what its blocks hold is not taken for zeros.
  const lying = lz4FrameEncode(new Uint8Array(5000));
  lying[6]! += 1;
  assert.equal(lz4ZeroFrameSize(lying), -1);
  assert.throws(() => lz4FrameDecode(lying), /holds/);
  assert.equal(lz4ZeroFrameSize(lz4.compress(new Uint8Array(1000))), -1, 'no content size: not recognised');
});
