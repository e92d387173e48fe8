// Builds the renderer (renderer/index.html → dist-renderer/) for the browser host and Electron.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer/', import.meta.url)),
  base: './',
  plugins: [react()],
  resolve: {
    // dns-packet (in the engine) needs Node's Buffer: the `buffer` package is its browser twin.
    alias: { buffer: 'buffer/' },
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist-renderer/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
  },
});
