/**
 * Events from the main process to the page (VS Code's `onDidX`): the file the user opened from a
 * native menu or dialog, and the menu commands the page carries out (capture, view). Each event's
 * payload has a schema that the receiving side checks, like the requests of contract.ts. Plain
 * data only: the renderer and the preload import this file.
 */
import { openedFile } from './contract.js';
import { boolean, integer, literal, object, string, type Infer, type Schema } from './schema.js';

/** Menu commands that the page carries out (the main process handles File itself). */
export const MENU_COMMANDS = [
  'capture.start',
  'capture.pause',
  'capture.stop',
  'capture.options',
  'view.zoomIn',
  'view.zoomOut',
  'view.toggleTheme',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const IPC_EVENTS = {
  /** A file was opened through the File menu, a recent entry or the command line: load it. */
  'file.opened': openedFile,
  /** A menu item the page carries out. */
  'menu.command': object({ command: literal(...MENU_COMMANDS) }),
  /** File ▸ Save As… / Export… under way (main writes the file): how far, then `done` (also after a failure, which app.error tells). */
  'file.progress': object({ action: literal('save', 'export'), name: string(512), percent: integer(0, 100), done: boolean() }),
  /** Something the main process could not do for the user (a file that would not open…). */
  'app.error': object({ message: string(2048) }),
} as const satisfies Record<string, Schema<unknown>>;

export type EventName = keyof typeof IPC_EVENTS;
export type EventOf<E extends EventName> = Infer<(typeof IPC_EVENTS)[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(IPC_EVENTS, name);
}

/**
 * Live capture batches travel on their own MessagePort (not through invoke/reply): main sends the
 * port once with this message name, then posts `LiveMessage`s on it.
 */
export const LIVE_PORT_MESSAGE = 'wireview:live-port';

/**
 * One flush of live capture bytes: whole helper frames (header + records) back to back, `seq`
 * counting flushes so the page can notice one it missed. `bytes` is transferable onward to the
 * engine worker without a copy.
 */
export interface LiveMessage {
  readonly seq: number;
  readonly bytes: ArrayBuffer;
}

export function isLiveMessage(value: unknown): value is LiveMessage {
  if (value === null || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  return typeof m.seq === 'number' && Number.isInteger(m.seq) && m.seq >= 0 && m.bytes instanceof ArrayBuffer;
}

/** The name of the Electron IPC channel that carries contract channel `channel`. */
export const invokeName = (channel: string): string => `wireview:call:${channel}`;
/** The name of the Electron IPC channel that carries event `name`. */
export const eventName = (name: string): string => `wireview:event:${name}`;
