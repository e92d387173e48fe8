import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRANT_HINT, HelperLaunchError, effectiveCapabilities, hasCapturePrivileges, launchHelper, launchPlan } from './helper-launcher.js';

const BPF_PERFMON_NETADMIN = (1n << 39n) | (1n << 38n) | (1n << 12n);

test('privileges: root, or all three capabilities', () => {
  assert.equal(hasCapturePrivileges(0n, 0), true);
  assert.equal(hasCapturePrivileges(BPF_PERFMON_NETADMIN, 1000), true);
  assert.equal(hasCapturePrivileges(BPF_PERFMON_NETADMIN & ~(1n << 38n), 1000), false);
  assert.equal(hasCapturePrivileges(0n, 1000), false);
});

test('CapEff is read from a status file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wv-caps-'));
  try {
    const file = join(dir, 'status');
    writeFileSync(file, 'Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000000c000001000\n');
    assert.equal(effectiveCapabilities(file), BPF_PERFMON_NETADMIN);
    assert.equal(effectiveCapabilities(join(dir, 'missing')), 0n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('launch plan: direct, then pkexec where polkit can ask, then sudo -n, else the hint', () => {
  const entry = '/x/helper.js';
  assert.deepEqual(launchPlan({ privileged: true, pkexec: '/usr/bin/pkexec', sudo: '/usr/bin/sudo', canAsk: true }, entry), { mode: 'direct', command: process.execPath, args: [entry] });
  assert.deepEqual(launchPlan({ privileged: false, pkexec: '/usr/bin/pkexec', sudo: '/usr/bin/sudo', canAsk: true }, entry), { mode: 'pkexec', command: '/usr/bin/pkexec', args: [process.execPath, entry] });
  assert.deepEqual(launchPlan({ privileged: false, pkexec: '/usr/bin/pkexec', sudo: '/usr/bin/sudo', canAsk: false }, entry), { mode: 'sudo', command: '/usr/bin/sudo', args: ['-n', process.execPath, entry] });
  assert.throws(() => launchPlan({ privileged: false, pkexec: undefined, sudo: undefined, canAsk: true }, entry), (e: Error) => e instanceof HelperLaunchError && e.message === GRANT_HINT);
  assert.ok(!GRANT_HINT.includes('\n'));
});

test("the helper's stdout arrives whole, in one buffer reused from read to read, and ends with the helper", async () => {
  const bytes = 3_000_000;
  const plan = { mode: 'direct' as const, command: process.execPath, args: ['-e', `process.stdout.write(Buffer.alloc(${bytes}, 7))`] };
  let received = 0;
  let sevens = 0;
  const buffers = new Set<ArrayBufferLike>();
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const child = launchHelper(plan, (chunk) => {
    received += chunk.length;
    for (const b of chunk) if (b === 7) sevens++;
    buffers.add(chunk.buffer);
    if (received === bytes) ended();
  });
  const exit = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${received} of ${bytes} bytes`)), 5000).unref())]);
  assert.equal(exit, 0);
  assert.equal(child.stdout, null);
  assert.equal(sevens, bytes);
  assert.equal(buffers.size, 1);
});
