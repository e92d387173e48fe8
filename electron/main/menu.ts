/**
 * The native menus: File (Open, Open Recent, Save As, Export, Quit), Capture (Start, Pause, Stop,
 * Options), View. File items run in main; Capture and View items become `menu.command` events the
 * page carries out. Built as a plain template (types from Electron only) so tests read it without
 * Electron's binary.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import type { MenuCommand } from '../ipc/events.js';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  saveAs(): void;
  exportAs(): void;
  command(command: MenuCommand): void;
}

export interface MenuState {
  readonly recent: readonly string[];
  /** Save As and Export need a file main has open. */
  readonly hasFile: boolean;
  /** Reload and the developer tools only in development. */
  readonly development: boolean;
}

export function menuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = state.recent.map((path, i) => ({
    label: `${i < 9 ? `&${i + 1} ` : ''}${basename(path).replaceAll('&', '&&')}`,
    toolTip: path,
    click: () => actions.openRecent(path),
  }));
  const command = (label: string, cmd: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => actions.command(cmd),
  });
  const view: MenuItemConstructorOptions[] = [
    // W/S zoom in the page already; the menu shows the same actions with the usual accelerators.
    command('Zoom &In', 'view.zoomIn', 'CmdOrCtrl+='),
    command('Zoom &Out', 'view.zoomOut', 'CmdOrCtrl+-'),
    { type: 'separator' },
    command('Toggle &Dark Theme', 'view.toggleTheme', 'CmdOrCtrl+Shift+L'),
    { role: 'togglefullscreen' },
  ];
  if (state.development) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    {
      label: '&File',
      submenu: [
        { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        {
          label: 'Open &Recent',
          submenu:
            recentItems.length === 0
              ? [{ label: 'No recent files', enabled: false }]
              : [...recentItems, { type: 'separator' }, { label: '&Clear Recent', click: () => actions.clearRecent() }],
        },
        { type: 'separator' },
        { label: '&Save As…', accelerator: 'CmdOrCtrl+Shift+S', enabled: state.hasFile, click: () => actions.saveAs() },
        { label: '&Export…', accelerator: 'CmdOrCtrl+E', enabled: state.hasFile, click: () => actions.exportAs() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: '&Capture',
      submenu: [
        command('&Start', 'capture.start', 'CmdOrCtrl+R'),
        command('&Pause / Resume', 'capture.pause', 'CmdOrCtrl+P'),
        command('S&top', 'capture.stop', 'CmdOrCtrl+.'),
        { type: 'separator' },
        command('&Options…', 'capture.options', 'CmdOrCtrl+,'),
      ],
    },
    { label: '&View', submenu: view },
  ];
}
