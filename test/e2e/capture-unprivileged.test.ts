/**
 * A host without capture privileges (run as nobody, no capabilities, no pkexec or sudo to ask):
 * Start capture shows plainly why it cannot, with the ways to grant the privileges, and nothing
 * starts; the options dialog says it cannot know this kernel's sources yet instead of asking.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { e2eUnavailable, launchChromium, screenshotsDir, serve, type ServedHost } from './support.js';

const noSetpriv = spawnSync('setpriv', ['--version']).error ? 'setpriv is not installed (util-linux)' : undefined;
const skip = e2eUnavailable() ?? (process.getuid?.() === 0 ? noSetpriv : 'needs root to drop to an unprivileged user');
let host: ServedHost;
let browser: Browser;
let page: Page;

before(async () => {
  if (skip) return;
  host = await serve(undefined, true);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(host.url);
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

test('without privileges, Start capture explains how to grant them and starts nothing', { skip, timeout: 60_000 }, async () => {
  const bar = page.getByRole('toolbar', { name: 'Capture' });
  await bar.getByRole('button', { name: 'Start capture' }).click();
  const alert = page.locator('.capture-error[role=alert]');
  await alert.waitFor({ timeout: 10_000 });
  const text = await alert.innerText();
  assert.match(text, /^Capture could not start: live capture needs privileges/);
  assert.match(text, /setcap cap_bpf,cap_perfmon,cap_net_admin\+ep/);
  assert.match(text, /org\.wireview\.helper\.policy/);
  assert.doesNotMatch(text, /at .*\.js:\d+/, 'no stack trace');
  assert.equal(await page.locator('.capture-bar').getAttribute('data-state'), 'idle');
  await page.screenshot({ path: join(screenshotsDir, 'capture-unprivileged.png') });

  await bar.getByRole('button', { name: 'Options…' }).click();
  const probe = page.getByRole('dialog', { name: 'Capture options' }).locator('.capture-probe');
  await probe.filter({ hasText: 'Sources on this kernel are not known: This host runs without capture privileges' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.capture-error').getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await page.locator('.capture-error').count(), 0);
});
