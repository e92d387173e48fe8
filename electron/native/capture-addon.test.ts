import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ADDON_PATH, loadAddon, validateOptions } from './capture-addon.js';

test('capture options are validated before they reach the addon', () => {
  assert.deepEqual(validateOptions({ ringBufferBytes: 1 << 20, drainIntervalMs: 5 }), { ringBufferBytes: 1 << 20, drainIntervalMs: 5 });
  assert.throws(() => validateOptions({ ringBufferBytes: 3 << 20 }), /Expected "ringBufferBytes" to be a power of two/);
  assert.throws(() => validateOptions({ ringBufferBytes: 2048 }), /"ringBufferBytes" to be from 4096/);
  assert.throws(() => validateOptions({ drainIntervalMs: 0 }), /"drainIntervalMs" to be an integer from 1 to 1000/);
  assert.throws(() => validateOptions({ maxFrameBytes: 100 }), /"maxFrameBytes"/);
  assert.throws(() => validateOptions({ maxFramesInFlight: 1.5 }), /"maxFramesInFlight"/);
  assert.throws(() => validateOptions({ cgroupPath: 'sys/fs/cgroup' }), /"cgroupPath" to be an absolute path/);
  assert.throws(() => validateOptions({ lendFrames: 1 as never }), /"lendFrames" to be true or false/);
});

const notBuilt = existsSync(ADDON_PATH) ? false : 'the addon is not built (npm run build:native)';

test('libbpf is linked into the addon: no libbpf.so needed, none of its symbols exported, and it loads', { skip: notBuilt }, () => {
  const r = spawnSync('readelf', ['--dynamic', '--dyn-syms', '--wide', ADDON_PATH], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const needed = [...r.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  assert.ok(needed.includes('libelf.so.1'), `needed: ${needed.join(', ')}`);
  assert.deepEqual(needed.filter((n) => n!.startsWith('libbpf')), []);
  assert.doesNotMatch(r.stdout, /TEXTREL/);
  const exported = r.stdout.split('\n').filter((l) => / FUNC +GLOBAL +DEFAULT +\d+ (bpf|libbpf)_/.test(l));
  assert.deepEqual(exported, []);
  assert.equal(typeof loadAddon().kernelNames, 'function');
});
