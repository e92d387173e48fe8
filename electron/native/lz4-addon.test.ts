import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as lz4js from 'lz4js';
import { lz4BlockBound, lz4CompressBlock } from '../../renderer/engine/formats/arrow/lz4-block.js';
import { lz4FrameDecode, lz4FrameEncode, useLz4BlockCompressor } from '../../renderer/engine/formats/arrow/lz4-codec.js';
import { LZ4_ADDON_PATH, nativeLz4 } from './lz4-addon.js';

const notBuilt = existsSync(LZ4_ADDON_PATH) ? false : 'the LZ4 addon is not built (npm run build:native)';

/** What a capture's columns look like: increasing 64-bit times, small repeated ids, hard-to-compress sequence numbers. */
function columns(): Uint8Array[] {
  const times = new BigInt64Array(65536);
  for (let i = 0; i < times.length; i++) times[i] = 5_000_000_000_000n + BigInt(i * 1733 + ((i * 7919) % 1000));
  const ids = Uint32Array.from({ length: 65536 }, (_, i) => [4242, 4243, 17][i % 3]!);
  let x = 12345;
  const seqs = Uint32Array.from({ length: 65536 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0));
  return [new Uint8Array(times.buffer), new Uint8Array(ids.buffer), new Uint8Array(seqs.buffer), new Uint8Array(100), Uint8Array.of(1, 2, 3)];
}

test('the native block compressor keeps the JS one\'s contract: the same bytes back, -1 when not smaller', { skip: notBuilt }, () => {
  const native = nativeLz4();
  assert.ok(native, 'the addon loads');
  const [times, ids, seqs] = columns();
  for (const src of [times!, ids!]) {
    const dst = new Uint8Array(lz4BlockBound(src.length) + 7);
    const end = native(src, 0, src.length, dst, 7);
    assert.ok(end > 7 && end - 7 < src.length);
    const back = new Uint8Array(src.length);
    assert.equal(lz4js.decompressBlock(dst, back, 7, end - 7, 0) as unknown as number, src.length);
    assert.deepEqual(back, src);
  }
  // Random numbers do not shrink: both say so, and the caller stores them as they are.
  const dst = new Uint8Array(lz4BlockBound(seqs!.length));
  assert.equal(native(seqs!, 0, seqs!.length, dst, 0), -1);
  assert.equal(lz4CompressBlock(seqs!, 0, seqs!.length, dst, 0), -1);
  assert.throws(() => native(seqs!, 0, seqs!.length + 1, dst, 0), /range outside its arrays/);
  assert.throws(() => (native as (...a: unknown[]) => number)(new Uint32Array(4), 0, 4, dst, 0), /compressBlock\(src: Uint8Array/);
});

test('frames made with the native compressor decode to the same bytes as the JS compressor\'s', { skip: notBuilt }, (t) => {
  t.after(() => useLz4BlockCompressor(lz4CompressBlock));
  for (const src of columns()) {
    useLz4BlockCompressor(lz4CompressBlock);
    const js = lz4FrameEncode(src);
    useLz4BlockCompressor(nativeLz4()!);
    const native = lz4FrameEncode(src);
    assert.deepEqual(lz4FrameDecode(native), src);
    assert.deepEqual(lz4FrameDecode(js), src);
    assert.deepEqual(new Uint8Array(lz4js.decompress(native) as unknown as Uint8Array), src); // an independent decoder
  }
});
