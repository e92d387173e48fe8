/**
 * What Electron's preload exposes to the page as `window.wireview`: named methods only (never
 * ipcRenderer), each refusing anything outside the contract. Plain types: the preload implements
 * this interface, the renderer's host adapter uses it.
 */
import type { EventOf } from './events.js';

export interface WireviewBridge {
  /** Calls a contract channel (electron/ipc/contract.ts) with its one argument; unknown channels are refused. */
  call(channel: string, arg: unknown): Promise<unknown>;
  /** Main opened a file (menu, recent entry, command line): fetch `file.url` and load it. */
  onDidOpenFile(listener: (file: EventOf<'file.opened'>) => void): () => void;
  /** A Capture or View menu item the page carries out. */
  onDidRequestCommand(listener: (event: EventOf<'menu.command'>) => void): () => void;
  /** File ▸ Save As… / Export… under way in main: how far, then done. */
  onDidProgressFile(listener: (event: EventOf<'file.progress'>) => void): () => void;
  /** Something main could not do for the user. */
  onDidFail(listener: (event: EventOf<'app.error'>) => void): () => void;
}

/** The window.postMessage tag with which the preload hands the live capture MessagePort to the page. */
export const LIVE_PORT_TAG = 'wireview:live-port';
