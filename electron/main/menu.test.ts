import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../ipc/events.js';
import { menuTemplate, type MenuActions } from './menu.js';

function record(): { actions: MenuActions; log: string[] } {
  const log: string[] = [];
  return {
    log,
    actions: {
      open: () => log.push('open'),
      openRecent: (p) => log.push(`recent ${p}`),
      clearRecent: () => log.push('clear'),
      saveAs: () => log.push('saveAs'),
      exportAs: () => log.push('export'),
      command: (c: MenuCommand) => log.push(c),
    },
  };
}

const sub = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => item?.submenu as MenuItemConstructorOptions[];
const find = (items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions => {
  const item = items.find((i) => i.label?.replaceAll('&', '') === label);
  assert.ok(item, `no item ${label}`);
  return item;
};
const click = (item: MenuItemConstructorOptions): void => (item.click as () => void)();

test('File, Capture and View with the items of the issue; each runs its action', () => {
  const { actions, log } = record();
  const menu = menuTemplate(actions, { recent: ['/t/a&b.pcap', '/t/c.arrows'], hasFile: true, development: false });
  assert.deepEqual(
    menu.map((m) => m.label),
    ['&File', '&Capture', '&View'],
  );
  const file = sub(menu[0]);
  click(find(file, 'Open…'));
  const recent = sub(find(file, 'Open Recent'));
  assert.equal(recent[0]!.label, '&1 a&&b.pcap');
  click(recent[0]!);
  click(find(recent, 'Clear Recent'));
  click(find(file, 'Save As…'));
  click(find(file, 'Export…'));
  const capture = sub(menu[1]);
  for (const label of ['Start', 'Pause / Resume', 'Stop', 'Options…']) click(find(capture, label));
  click(find(sub(menu[2]), 'Toggle Dark Theme'));
  assert.deepEqual(log, ['open', 'recent /t/a&b.pcap', 'clear', 'saveAs', 'export', 'capture.start', 'capture.pause', 'capture.stop', 'capture.options', 'view.toggleTheme']);
  assert.equal(
    sub(menu[2]).some((i) => i.role === 'toggleDevTools'),
    false,
    'no developer tools when packaged',
  );
});

test('without a file Save As and Export are disabled; without recent files the submenu says so', () => {
  const menu = menuTemplate(record().actions, { recent: [], hasFile: false, development: true });
  const file = sub(menu[0]);
  assert.equal(find(file, 'Save As…').enabled, false);
  assert.equal(find(file, 'Export…').enabled, false);
  assert.deepEqual(sub(find(file, 'Open Recent')), [{ label: 'No recent files', enabled: false }]);
  assert.equal(
    sub(menu[2]).some((i) => i.role === 'toggleDevTools'),
    true,
  );
});
