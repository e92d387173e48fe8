/**
 * The contract's handlers, shared by every transport (the browser host's WebSocket and Electron's
 * ipcMain): what differs between hosts comes in as options, the answers are built here once.
 */
import type { CaptureStatus, ChannelHandlers, OpenedFile } from './contract.js';

export interface AppHandlerOptions {
  readonly version: string;
  readonly host: 'browser' | 'electron';
  /** The file the page should open now (the host's start file, or the last one opened in main). */
  readonly currentFile: () => OpenedFile | null;
  /** Live capture, where this host offers it (the browser host); absent, the capture channels refuse. */
  readonly capture?: LiveCaptureControl | undefined;
}

/** What the capture channels drive: one capture at a time, its trace readable by the page. */
export interface LiveCaptureControl {
  start(): Promise<CaptureStatus>;
  status(): CaptureStatus;
  stop(): Promise<CaptureStatus>;
}

function noCapture(): never {
  throw new Error('live capture is not available in this host');
}

export function createAppHandlers(options: AppHandlerOptions): ChannelHandlers {
  return {
    'app.hello': () => ({ version: options.version, host: options.host, file: options.currentFile() }),
    'capture.start': () => (options.capture ? options.capture.start() : noCapture()),
    'capture.stats': () => (options.capture ? options.capture.status() : noCapture()),
    'capture.stop': () => (options.capture ? options.capture.stop() : noCapture()),
  };
}
