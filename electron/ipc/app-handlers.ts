/**
 * The contract's handlers, shared by every transport (the browser host's WebSocket and Electron's
 * ipcMain): what differs between hosts comes in as options, the answers are built here once.
 */
import type { CaptureFilterOptions, ProbeReply } from './capture-schema.js';
import type { CaptureStatus, ChannelHandlers, OpenedFile, ReplyOf } from './contract.js';

export interface AppHandlerOptions {
  readonly version: string;
  readonly host: 'browser' | 'electron';
  /** The file the page should open now (the host's start file, or the last one opened in main). */
  readonly currentFile: () => OpenedFile | null;
  /** Live capture, where this host offers it; absent, the capture channels refuse. */
  readonly capture?: LiveCaptureControl | undefined;
  /** The sample and recent files; absent, those channels refuse. */
  readonly files?: FileControl | undefined;
}

/** What the capture channels drive: one capture at a time, its trace readable by the page. */
export interface LiveCaptureControl {
  start(filter: CaptureFilterOptions | undefined): Promise<CaptureStatus>;
  status(): CaptureStatus;
  pause(): Promise<CaptureStatus>;
  resume(): Promise<CaptureStatus>;
  stop(): Promise<CaptureStatus>;
  probe(): Promise<ProbeReply>;
}

/** Opening files the host itself names (never a path the page makes up). */
export interface FileControl {
  openSample(): Promise<OpenedFile>;
  recent(): ReplyOf<'file.recent'>;
  /** Opens `path` when it is in recent(); refuses any other path. */
  openRecent(path: string): Promise<OpenedFile>;
}

function missing(what: string): never {
  throw new Error(`${what} is not available in this host`);
}

export function createAppHandlers(options: AppHandlerOptions): ChannelHandlers {
  const capture = (): LiveCaptureControl => options.capture ?? missing('live capture');
  const files = (): FileControl => options.files ?? missing('opening files from the host');
  return {
    'app.hello': () => ({ version: options.version, host: options.host, file: options.currentFile() }),
    'capture.start': ({ filter }) => capture().start(filter),
    'capture.stats': () => capture().status(),
    'capture.pause': () => capture().pause(),
    'capture.resume': () => capture().resume(),
    'capture.stop': () => capture().stop(),
    'capture.probe': () => capture().probe(),
    'file.openSample': () => files().openSample(),
    'file.recent': () => files().recent(),
    'file.openRecent': ({ path }) => files().openRecent(path),
  };
}
