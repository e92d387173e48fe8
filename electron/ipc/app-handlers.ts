/**
 * The contract's handlers, shared by every transport (the browser host's WebSocket and Electron's
 * ipcMain): what differs between hosts comes in as options, the answers are built here once.
 */
import type { ChannelHandlers, OpenedFile } from './contract.js';

export interface AppHandlerOptions {
  readonly version: string;
  readonly host: 'browser' | 'electron';
  /** The file the page should open now (the host's start file, or the last one opened in main). */
  readonly currentFile: () => OpenedFile | null;
}

export function createAppHandlers(options: AppHandlerOptions): ChannelHandlers {
  return {
    'app.hello': () => ({ version: options.version, host: options.host, file: options.currentFile() }),
  };
}
