/**
 * Issue 4's "every control has a label" and "light and dark themes", in Debian's Chromium against
 * `wireview serve`: Chromium's own accessibility tree (what a screen reader gets) names every
 * control of the welcome screen, the trace view, the Flows tab and the capture options dialog;
 * the theme button switches between two real colour schemes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openTrace } from '../../electron/services/input-file.js';
import { corpusDir } from '../paths.js';
import { e2eUnavailable, launchChromium, openApp, serve, type ServedHost } from './support.js';

const TRACE = join(corpusDir, 'afs.pcap');
const skip = e2eUnavailable();
/** Roles a user operates: each needs a name. */
const CONTROL_ROLES = new Set(['button', 'checkbox', 'combobox', 'textbox', 'searchbox', 'spinbutton', 'slider', 'radio', 'switch', 'tab', 'link', 'menuitem', 'progressbar', 'listbox', 'grid', 'option', 'columnheader']);

let browser: Browser;
let host: ServedHost;
let page: Page;
const errors: string[] = [];

before(async () => {
  if (skip) return;
  browser = await launchChromium();
  host = await serve(TRACE);
});
after(async () => {
  await browser?.close();
  await host?.stop();
  assert.deepEqual(errors, []);
});

/** The roles of the controls in Chromium's accessibility tree that have no name (at least `least` controls must be there). */
async function unnamedControls(p: Page, least = 5): Promise<string[]> {
  const cdp = await p.context().newCDPSession(p);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored?: boolean; role?: { value?: string }; name?: { value?: string } }[] };
  await cdp.detach();
  const controls = nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value)));
  assert.ok(controls.length >= least, `only ${controls.length} controls in the accessibility tree`);
  return controls.filter((n) => String(n.name?.value ?? '').trim() === '').map((n) => `${n.role?.value}`);
}

test('every control of the welcome screen, the trace view, the Flows tab and the options dialog has a name', { skip, timeout: 60_000 }, async () => {
  const empty = await serve();
  try {
    const welcome = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    welcome.on('pageerror', (e) => errors.push(e.message));
    await welcome.goto(empty.url);
    await welcome.getByRole('region', { name: 'Welcome' }).waitFor();
    assert.deepEqual(await unnamedControls(welcome), [], 'welcome screen');
    await welcome.close();
  } finally {
    await empty.stop();
  }
  const rows = (await openTrace(TRACE)).store.rowCount;
  page = await openApp(browser, host, rows, errors);
  await page.locator('[role=grid] [role=row][data-row]').first().click();
  await page.getByRole('complementary', { name: 'Event details' }).getByRole('heading').first().waitFor();
  assert.deepEqual(await unnamedControls(page, 30), [], 'trace view with a row selected');
  await page.getByRole('tab', { name: 'Flows' }).click();
  await page.locator('.flow-list-status[data-total]').waitFor();
  assert.deepEqual(await unnamedControls(page), [], 'Flows tab');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('toolbar', { name: 'Capture' }).getByRole('button', { name: 'Options…' }).click();
  await page.getByRole('dialog').waitFor();
  assert.deepEqual(await unnamedControls(page, 40), [], 'capture options dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
});

test('the theme button switches between the light and the dark scheme', { skip }, async () => {
  const scheme = (): Promise<{ theme: string | undefined; background: string }> =>
    page.evaluate(() => ({ theme: document.documentElement.dataset.theme, background: getComputedStyle(document.body).backgroundColor }));
  const first = await scheme();
  assert.ok(first.theme === 'light' || first.theme === 'dark');
  const other = first.theme === 'light' ? 'dark' : 'light';
  await page.getByRole('button', { name: `Switch to the ${other} theme` }).click();
  const second = await scheme();
  assert.equal(second.theme, other);
  assert.notEqual(second.background, first.background, 'the colours changed');
  await page.getByRole('button', { name: `Switch to the ${first.theme} theme` }).click();
  assert.deepEqual(await scheme(), first);
});
