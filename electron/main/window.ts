/**
 * The one window and its session, set up by Electron's security checklist: context isolation,
 * sandbox, no Node in the page, no webviews; no navigation, no new windows, no downloads, every
 * permission denied; no request leaves for the network (the page is served from app:// only).
 */
import { BrowserWindow, MessageChannelMain, type Session, type WebContents } from 'electron';
import { LIVE_PORT_MESSAGE } from '../ipc/events.js';
import { APP_START_URL } from './app-origin.js';
import { LiveBatchSender } from './live-batches.js';

/** Schemes the session refuses outright: nothing of the page may come from the network. */
const REMOTE_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: REMOTE_URLS }, (_details, callback) => callback({ cancel: true }));
  ses.on('will-download', (event) => event.preventDefault());
}

export function createMainWindow(preload: string, development: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'WireView',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: development,
    },
  });
  denyNavigation(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_START_URL);
  return win;
}

/** The page never navigates (a dropped file is read in the page, links do not open). */
function denyNavigation(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Gives the page (after each load) a fresh MessagePort for live capture batches; the returned
 * sender posts on main's end. The preload hands the other end to the page.
 */
export function openLiveChannel(contents: WebContents): LiveBatchSender {
  const { port1, port2 } = new MessageChannelMain();
  contents.postMessage(LIVE_PORT_MESSAGE, null, [port2]);
  return new LiveBatchSender(port1);
}
