#!/usr/bin/env node
// Builds native/ (the capture addon) with node-gyp. Uses the Node headers installed with Node itself
// (/usr/include/node on Debian) when they match the running Node, so no header download is needed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skeleton = join(root, 'bpf', '.output', 'wireview.skel.h');
if (!existsSync(skeleton)) {
  console.error('build-native: bpf/.output/wireview.skel.h is missing: run `npm run build:bpf` first');
  process.exit(1);
}

function localNodeDir() {
  const prefix = dirname(dirname(process.execPath));
  const header = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(header)) return undefined;
  const text = readFileSync(header, 'utf8');
  const part = (name) => text.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
  return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.version ? prefix : undefined;
}

/*
 * libbpf is linked statically from Debian's own libbpf.a (libbpf-dev). Its objects are
 * position-independent but for one direct reference to glibc's `stderr` (libbpf's default log
 * printer), which a shared object cannot hold: the copy under native/.libbpf/ names it
 * `wv_libbpf_stderr` instead, a hidden variable of the addon set to `stderr` (src/libbpf_stderr.cc).
 */
function staticLibbpf() {
  const cc = spawnSync('cc', ['-print-file-name=libbpf.a'], { encoding: 'utf8' });
  const archive = cc.status === 0 ? cc.stdout.trim() : '';
  if (!archive.startsWith('/') || !existsSync(archive)) {
    console.error('build-native: libbpf.a not found (install libbpf-dev)');
    process.exit(1);
  }
  const dir = join(root, 'native', '.libbpf');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'libbpf.a');
  const r = spawnSync('objcopy', ['--redefine-sym', 'stderr=wv_libbpf_stderr', archive, out], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build-native: objcopy of ${archive} failed`);
    process.exit(1);
  }
}
staticLibbpf();

const args = ['rebuild', '--directory', join(root, 'native')];
const nodedir = localNodeDir();
if (nodedir) args.push(`--nodedir=${nodedir}`);
const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const r = spawnSync(process.execPath, [gyp, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
