// Bundles Electron's preload (electron/preload/preload.ts + the electron/ipc contract it uses) into
// one CommonJS file: a sandboxed preload can require only 'electron', not our other modules.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('../', import.meta.url)),
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/electron/preload/', import.meta.url)),
    emptyOutDir: false,
    target: 'node22',
    minify: false,
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('../electron/preload/preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
