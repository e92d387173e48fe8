/**
 * Electron's main process: one window serving the built renderer from app://, native menus and
 * dialogs, recent files, the sample trace, live capture (its trace posted to the page on the live
 * MessagePort), and the IPC contract through handle() (sender check + schemas) over the same
 * handlers the browser host uses. Run with `npm start` (build/start.mjs) or the packaged app.
 */
import { app, dialog, ipcMain, Menu, net, protocol, session, type BrowserWindow } from 'electron';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HostCapture } from '../host/host-capture.js';
import { SAMPLE_TRACE } from '../host/sample.js';
import { createAppHandlers, type FileControl } from '../ipc/app-handlers.js';
import type { OpenedFile } from '../ipc/contract.js';
import { eventName, IPC_EVENTS, type EventName, type EventOf } from '../ipc/events.js';
import { APP_SCHEME } from './app-origin.js';
import { APP_FILE_PATH, APP_RESPONSE_HEADERS, resolveAppRequest } from './app-protocol.js';
import { EXPORT_FORMATS, exportFormatOf, TRACE_EXTENSION } from './file-actions.js';
import { runFileAction } from './file-progress.js';
import { handleAll } from './ipc-handle.js';
import type { LiveBatchSender } from './live-batches.js';
import { PumpedCapture, TracePump } from './live-capture.js';
import { menuTemplate, type MenuActions } from './menu.js';
import { RecentFiles } from './recent-files.js';
import { createMainWindow, hardenSession, openLiveChannel } from './window.js';

/** Compiled into dist/electron/main: the repository (or app.asar) root is three levels up. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RENDERER_DIR = join(ROOT, 'dist-renderer');
const PRELOAD = join(ROOT, 'dist', 'electron', 'preload', 'preload.cjs');
const DEVELOPMENT = !app.isPackaged;

// Before `ready`: app:// behaves like https (secure context, fetch, module workers, streaming).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
app.enableSandbox();

let window: BrowserWindow | null = null;
let current: { path: string; bytes: number; serial: number } | null = null;
let live: LiveBatchSender | null = null;
let recent: RecentFiles;

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? app.getVersion();
  } catch {
    return app.getVersion();
  }
}

function openedFile(): OpenedFile | null {
  return current ? { name: basename(current.path), bytes: current.bytes, url: `${APP_FILE_PATH}?n=${current.serial}` } : null;
}

/** Sends an event to the page, checked against its schema like everything that crosses. */
function emit<E extends EventName>(name: E, payload: EventOf<E>): void {
  const problem = IPC_EVENTS[name].check(payload, name);
  if (problem) throw new Error(`internal: ${problem}`);
  if (window && !window.isDestroyed()) window.webContents.send(eventName(name), payload);
}

function fail(message: string): void {
  emit('app.error', { message: message.slice(0, 2048) });
}

/** Makes `path` the file app://wireview/file serves (remembered in the recent list unless `remember` is false). */
async function usePath(path: string, remember = true): Promise<OpenedFile> {
  const full = resolve(path);
  try {
    const st = await stat(full);
    if (!st.isFile()) throw new Error('not a regular file');
    current = { path: full, bytes: st.size, serial: (current?.serial ?? 0) + 1 };
  } catch (e) {
    recent.remove(full);
    refreshMenu();
    throw new Error(`${full}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (remember) recent.add(full);
  refreshMenu();
  window?.setTitle(`${basename(full)} — WireView`);
  return openedFile()!;
}

/** Opens `path` from a menu, the command line or a second instance: the page is told and fetches it. */
async function openPath(path: string): Promise<void> {
  try {
    emit('file.opened', await usePath(path));
  } catch (e) {
    fail((e as Error).message);
  }
}

/** The welcome screen's files: the sample shipped with the app, and the recent list (only its paths). */
const files: FileControl = {
  openSample: () => usePath(SAMPLE_TRACE, false),
  recent: () => ({ files: recent.list().map((path) => ({ name: basename(path), path })) }),
  openRecent: async (path) => {
    if (!recent.has(path)) throw new Error('not a recent file');
    return usePath(path);
  },
};

// Live capture: the browser host's control, its trace posted on the live port. A stopped
// capture becomes the open file, so that Save As and Export write it.
const hostCapture = new HostCapture();
const capture = new PumpedCapture(hostCapture, new TracePump(hostCapture, () => live), () => {
  const trace = hostCapture.tracePath;
  if (trace) void usePath(trace, false).catch((e: Error) => fail(e.message));
});

const actions: MenuActions = {
  open() {
    if (!window) return;
    void dialog
      .showOpenDialog(window, {
        title: 'Open a trace',
        properties: ['openFile'],
        filters: [
          { name: 'Traces and captures', extensions: [TRACE_EXTENSION, 'arrow', 'pcap', 'pcapng', 'cap', 'csv'] },
          { name: 'All files', extensions: ['*'] },
        ],
      })
      .then((r) => (r.canceled || !r.filePaths[0] ? undefined : openPath(r.filePaths[0])));
  },
  openRecent(path) {
    // Only paths the user opened before: the list is main's, never the page's.
    if (recent.has(path)) void openPath(path);
  },
  clearRecent() {
    recent.clear();
    refreshMenu();
  },
  saveAs() {
    const source = current?.path;
    if (!window || !source) return;
    void dialog
      .showSaveDialog(window, {
        title: 'Save as a WireView trace',
        defaultPath: `${basename(source).replace(/\.[^.]*$/, '')}.${TRACE_EXTENSION}`,
        filters: [{ name: 'WireView trace (Arrow stream)', extensions: [TRACE_EXTENSION] }],
      })
      .then((r) => (r.canceled || !r.filePath ? undefined : runFileAction('save', source, r.filePath, TRACE_EXTENSION, (p) => emit('file.progress', p), fail)))
      .catch((e: Error) => fail(`Save As: ${e.message}`));
  },
  exportAs() {
    const source = current?.path;
    if (!window || !source) return;
    void dialog
      .showSaveDialog(window, {
        title: 'Export',
        defaultPath: `${basename(source).replace(/\.[^.]*$/, '')}.pcapng`,
        filters: Object.values(EXPORT_FORMATS).map((f) => ({ name: f.label, extensions: [f.extension] })),
      })
      .then((r) => {
        if (r.canceled || !r.filePath) return undefined;
        const format = exportFormatOf(r.filePath);
        if (!format) throw new Error(`choose a name ending in ${Object.values(EXPORT_FORMATS).map((f) => `.${f.extension}`).join(', ')}`);
        return runFileAction('export', source, r.filePath, format, (p) => emit('file.progress', p), fail);
      })
      .catch((e: Error) => fail(`Export: ${e.message}`));
  },
  command(command) {
    emit('menu.command', { command });
  },
};

function refreshMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, { recent: recent.list(), hasFile: current !== null, development: DEVELOPMENT })));
}

/** The file named on the command line (`electron . FILE`, or `wireview FILE` when packaged). */
function fileArgument(argv: readonly string[]): string | undefined {
  return argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-') && a !== '.');
}

async function ready(): Promise<void> {
  recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'));
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveAppRequest(request.method, request.url, RENDERER_DIR, current?.path ?? null);
    if (answer.kind === 'refuse') return new Response(answer.message, { status: answer.status, headers: APP_RESPONSE_HEADERS });
    const file = await net.fetch(pathToFileURL(answer.path).toString());
    if (!file.ok) return new Response('not found', { status: 404, headers: APP_RESPONSE_HEADERS });
    const type = file.headers.get('content-type');
    return new Response(request.method === 'HEAD' ? null : file.body, {
      status: 200,
      headers: { ...APP_RESPONSE_HEADERS, ...(type ? { 'Content-Type': type } : {}) },
    });
  });
  handleAll(ipcMain, createAppHandlers({ version: version(), host: 'electron', currentFile: openedFile, capture, files }));
  refreshMenu();

  const path = fileArgument(process.argv);
  if (path) await openPath(path);
  window = createMainWindow(PRELOAD, DEVELOPMENT);
  window.webContents.on('did-finish-load', () => {
    live?.close();
    if (window) live = openLiveChannel(window.webContents);
  });
  window.on('closed', () => {
    live?.close();
    live = null;
    window = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const path = fileArgument(argv);
    if (path) void openPath(path);
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  // The capture's helper is stopped and its temporary trace folder removed before the app exits.
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void hostCapture.close().finally(() => app.quit());
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(ready);
}
