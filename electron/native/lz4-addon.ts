/**
 * Native LZ4 block compression (native/src/lz4_block.cc, Debian's liblz4) for the trace files a
 * capture writes: about a third of the JS compressor's CPU on a capture's columns. The file is
 * the same either way (LZ4 frames decoding to the same bytes); without the addon (not built, or
 * liblz4 missing) the JS compressor stays in use.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { useLz4BlockCompressor, type Lz4BlockCompressor } from '../../renderer/engine/formats/arrow/lz4-codec.js';

/** Where `npm run build:native` puts the addon. */
export const LZ4_ADDON_PATH = fileURLToPath(new URL('../../../native/build/Release/wireview_lz4.node', import.meta.url));

let loaded: Lz4BlockCompressor | null | undefined;

/** The addon's block compressor, loaded once; undefined when it cannot be loaded. */
export function nativeLz4(): Lz4BlockCompressor | undefined {
  if (loaded === undefined) {
    loaded = null;
    if (existsSync(LZ4_ADDON_PATH)) {
      try {
        loaded = (createRequire(import.meta.url)(LZ4_ADDON_PATH) as { compressBlock: Lz4BlockCompressor }).compressBlock;
      } catch {
        // e.g. liblz4.so.1 missing: the JS compressor does the same job, slower
      }
    }
  }
  return loaded ?? undefined;
}

/** Makes trace writers of this process compress with the addon when it loads; returns whether it did. */
export function useNativeLz4(): boolean {
  const native = nativeLz4();
  if (native) useLz4BlockCompressor(native);
  return native !== undefined;
}
