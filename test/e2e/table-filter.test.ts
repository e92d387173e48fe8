/**
 * The event table and filter bar in Debian's Chromium against `wireview serve`: headers sort by
 * click and by keyboard (rows in the engine's order), the column chooser's choice shows at once
 * and survives a reload, and applied filters form a de-duplicated history reachable with ↑/↓ and
 * from its list, also after a reload. Expected rows and counts come from the engine in Node.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusDir } from '../paths.js';
import { appSession, e2eUnavailable, publishScreenshot, screenshotsDir } from './support.js';

const TRACE = join(corpusDir, 'afs.pcap');
const skip = e2eUnavailable();
const session = appSession(TRACE);

const shownRows = (): Promise<number[]> =>
  session.page.locator('[role=grid] .table-scroll [role=row][data-row]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-row'))));
const headerKeys = (): Promise<string[]> => session.page.locator('[role=columnheader]').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-key')!));

async function expectOrder(sort: { field: string; descending: boolean } | undefined): Promise<void> {
  const expected = Array.from(session.engine.page({ sort, offset: 0, limit: 40, columns: [] }).rows);
  await session.page.waitForFunction((first) => document.querySelector('.table-scroll [role=row][data-row]')?.getAttribute('data-row') === String(first), expected[0]);
  const rows = await shownRows();
  assert.deepEqual(rows, expected.slice(0, rows.length));
}

test('headers sort ascending, descending and off, by click and by keyboard', { skip }, async () => {
  const header = session.page.locator('[role=columnheader][data-key="sport"]');
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  await expectOrder({ field: 'sport', descending: false });
  await header.getByRole('button').press('Enter');
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  await expectOrder({ field: 'sport', descending: true });
  await session.page.screenshot({ path: join(screenshotsDir, 'table-sorted.png'), clip: { x: 0, y: 478, width: 1400, height: 422 } });
  publishScreenshot('table-sorted.png', 'table.png');
  await header.getByRole('button').press('Space');
  assert.equal(await header.getAttribute('aria-sort'), 'none');
  await expectOrder(undefined);
});

test('the column chooser shows and hides fields, and the choice survives a reload', { skip }, async () => {
  await session.page.getByRole('button', { name: 'Columns…' }).click();
  const panel = session.page.getByRole('group', { name: 'Columns shown' });
  await panel.locator('input[data-key="pid"]').uncheck();
  await panel.locator('input[data-key="pkt_len"]').check();
  assert.equal(await panel.locator('input[data-key="time"]').isDisabled(), true);
  await session.page.screenshot({ path: join(screenshotsDir, 'column-chooser.png') });
  await session.page.keyboard.press('Escape');
  const keys = await headerKeys();
  assert.ok(!keys.includes('pid') && keys.includes('pkt_len'), keys.join(','));
  // The cells are the engine's text for the new column.
  const first = session.engine.page({ offset: 0, limit: 1, columns: ['pkt_len'] });
  const cell = session.page.locator(`.table-scroll [role=row][data-row="${first.rows[0]}"] [role=gridcell]`).nth(keys.indexOf('pkt_len'));
  assert.equal(await cell.innerText(), first.columns.pkt_len![0]);
  await session.page.reload();
  await session.page.waitForSelector(`[role=status][data-total="${session.engine.store.rowCount}"]`);
  assert.deepEqual(await headerKeys(), keys);
});

test('applied filters form a de-duplicated history: ↑/↓ in the field, the list, and after a reload', { skip }, async () => {
  const input = session.page.getByLabel('Filter', { exact: true });
  const apply = async (expr: string): Promise<void> => {
    await input.fill(expr);
    await input.press('Enter');
    await session.page.waitForSelector(`[role=status][data-total="${session.engine.counts({ filter: expr }).events}"]`);
  };
  const older = 'evt.priority <= NOTICE';
  const newer = 'net.sport = 7001';
  await apply(newer);
  await apply(older);
  await apply(newer);
  await session.page.getByRole('button', { name: 'Clear' }).click();
  await session.page.waitForSelector(`[role=status][data-total="${session.engine.store.rowCount}"]`);
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), newer);
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), older);
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), older, 'two entries: the repeat was not added again');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), newer);
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), '');

  await session.page.reload();
  await session.page.waitForSelector(`[role=status][data-total="${session.engine.store.rowCount}"]`);
  await session.page.getByRole('button', { name: 'History' }).click();
  const list = session.page.getByRole('list', { name: 'Recent filters' });
  assert.deepEqual(await list.locator('li > button:first-child').allInnerTexts(), [newer, older]);
  await session.page.screenshot({ path: join(screenshotsDir, 'filter-history.png'), clip: { x: 0, y: 0, width: 1400, height: 200 } });
  await list.getByRole('button', { name: older, exact: true }).click();
  await session.page.waitForSelector(`[role=status][data-total="${session.engine.counts({ filter: older }).events}"]`);
  assert.equal(await input.inputValue(), older);
});
