/**
 * The built renderer under Electron's app:// scheme: the page is split into an entry, a lazily
 * imported app, a module worker and lazily imported importers and charts. Electron cannot be
 * launched here, so this follows every reference the built files make (index.html's scripts,
 * styles and modulepreloads; static and dynamic imports; Vite's preload lists; the worker's
 * `new URL(…, import.meta.url)`) from the URL it would have under app://, and checks that the
 * protocol's resolver answers each with a file that exists — and that no built chunk is left
 * unreachable, so a reference form this test does not know cannot hide.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveAppRequest } from '../../electron/main/app-protocol.js';
import { repoRoot } from '../paths.js';

const RENDERER_DIR = join(repoRoot, 'dist-renderer');
const PAGE_URL = 'app://wireview/index.html';

/** The relative URLs a built file names, with how it names them. */
function referencesIn(text: string, isHtml: boolean): { readonly form: string; readonly ref: string }[] {
  const forms: readonly (readonly [string, RegExp])[] = isHtml
    ? [['html src/href', /\s(?:src|href)="(\.\/[^"]+)"/g]]
    : [
        ['static import', /\bfrom\s*"(\.\/[^"]+\.js)"/g],
        ['dynamic import', /\bimport\(\s*[`"'](\.\/[^`"']+\.js)[`"']\s*\)/g],
        ['worker URL', /new URL\(\s*[`"']([^`"':/]+\.js)[`"']\s*,\s*import\.meta\.url\s*\)/g],
        ['preload list', /__vite__mapDeps[^\n]*?\[((?:\s*"\.\/[^"]+"\s*,?)+)\]/g],
      ];
  const out: { form: string; ref: string }[] = [];
  for (const [form, pattern] of forms) {
    for (const match of text.matchAll(pattern)) {
      const found = match[1] ?? '';
      const refs = form === 'preload list' ? [...found.matchAll(/"(\.\/[^"]+)"/g)].map((m) => m[1] ?? '') : [found];
      for (const ref of refs) out.push({ form, ref });
    }
  }
  return out;
}

test('every chunk, worker and stylesheet the built renderer loads is served under app://, and none is unreachable', () => {
  assert.ok(existsSync(join(RENDERER_DIR, 'index.html')), 'dist-renderer is not built: run npm run build');
  const seen = new Set<string>();
  const forms = new Set<string>();
  const queue: string[] = [PAGE_URL];
  while (queue.length > 0) {
    const url = queue.shift() ?? '';
    if (seen.has(url)) continue;
    seen.add(url);
    const answer = resolveAppRequest('GET', url, RENDERER_DIR, null);
    assert.equal(answer.kind, 'file', `${url} is refused by the app:// resolver`);
    if (answer.kind !== 'file') continue;
    assert.ok(existsSync(answer.path), `${url} resolves to ${answer.path}, which does not exist`);
    if (!/\.(html|js)$/.test(answer.path)) continue;
    for (const { form, ref } of referencesIn(readFileSync(answer.path, 'utf8'), answer.path.endsWith('.html'))) {
      forms.add(form);
      queue.push(new URL(ref, url).href);
    }
  }
  for (const form of ['html src/href', 'static import', 'dynamic import', 'worker URL']) {
    assert.ok(forms.has(form), `no ${form} was found in the built renderer: has the build changed how it names its chunks?`);
  }
  const built = readdirSync(join(RENDERER_DIR, 'assets')).filter((name) => /\.(js|css)$/.test(name));
  const unreached = built.filter((name) => !seen.has(`app://wireview/assets/${name}`));
  assert.deepEqual(unreached, [], 'built chunks no reference reaches from index.html');
});
