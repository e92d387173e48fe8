import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRANT_HINT, HelperLaunchError, effectiveCapabilities, hasCapturePrivileges, launchPlan } from './helper-launcher.js';

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
