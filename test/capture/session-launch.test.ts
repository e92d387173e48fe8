/**
 * A helper that cannot start: the session fails with one line saying why (and how to grant the
 * privileges when the way it was started was refused), and leaves no file behind. Needs no root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureSession } from '../../electron/services/capture-session.js';
import { GRANT_HINT } from '../../electron/services/helper-launcher.js';
import { InputError } from '../../renderer/engine/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'wv-session-launch-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a helper that exits at once fails the start in one line and leaves no file', async () => {
  const output = join(dir, 'none.arrows');
  const launch = { mode: 'direct' as const, command: process.execPath, args: ['-e', 'console.error("cannot load the BPF object"); process.exit(3)'] };
  await assert.rejects(CaptureSession.start({ output, launch }), (e: Error) => {
    assert.equal(e.message, 'the capture helper exited with status 3: cannot load the BPF object');
    return true;
  });
  assert.equal(existsSync(output), false);
});

test('sudo -n refusing says how to grant the privileges', async () => {
  const output = join(dir, 'sudo.arrows');
  const launch = { mode: 'sudo' as const, command: process.execPath, args: ['-e', 'console.error("sudo: a password is required"); process.exit(1)'] };
  await assert.rejects(CaptureSession.start({ output, launch }), (e: Error) => {
    assert.ok(!e.message.includes('\n'));
    assert.match(e.message, /could not be started through sudo: sudo: a password is required/);
    assert.ok(e.message.endsWith(GRANT_HINT));
    return true;
  });
  assert.equal(existsSync(output), false);
});

test('a bad kernel filter is refused before any helper starts', async () => {
  const output = join(dir, 'bad.arrows');
  const launch = { mode: 'direct' as const, command: '/nonexistent/helper', args: [] };
  await assert.rejects(CaptureSession.start({ output, launch, filter: { ports: [{ type: 'dst', direction: 'in', from: 70000 }] } }), /ports\[0\]\.from/);
  await assert.rejects(CaptureSession.start({ output, launch, expression: 'net.dport = = 1' }), (e: Error) => e instanceof InputError && e.offset === 13);
  assert.equal(existsSync(output), false);
});
