/**
 * The one way main answers the page: `handle()` registers a contract channel on an ipcMain-like
 * object so that every call first proves its sender (the top frame of our app:// page), then
 * passes the channel's request schema, and only then reaches the shared ChannelHandlers; the reply
 * is checked against its schema before it leaves. Anything else is refused with an error the page
 * sees as a rejected promise, and no handler runs.
 */
import { IPC_CHANNELS, type Channel, type ChannelHandlers } from '../ipc/contract.js';
import { invokeName } from '../ipc/events.js';
import { validate } from '../ipc/schema.js';
import { isTrustedSender, type SenderFrameLike } from './app-origin.js';

/** What handle() reads of an invoke event (Electron's IpcMainInvokeEvent has more). */
export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
}

/** The part of Electron's ipcMain that handle() uses; tests pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export class IpcRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefusal';
  }
}

export type SenderCheck = (frame: SenderFrameLike | null) => boolean;

export function handle<C extends Channel>(ipc: IpcMainLike, channel: C, handler: ChannelHandlers[C], trusted: SenderCheck = isTrustedSender): void {
  const schemas = IPC_CHANNELS[channel];
  const run = handler as (arg: unknown) => unknown;
  ipc.handle(invokeName(channel), async (event, ...args) => {
    if (!trusted(event.senderFrame)) throw new IpcRefusal(`${channel}: refused, the sender is not WireView's own page`);
    if (args.length !== 1) throw new IpcRefusal(`${channel}: expected one argument, got ${args.length}`);
    const arg = validate(schemas.request, args[0], 'arg');
    const result = await run(arg);
    const problem = schemas.reply.check(result, 'result');
    if (problem) throw new Error(`internal: ${channel} reply does not fit its schema (${problem})`);
    return result;
  });
}

/** Registers every channel of the contract; returns a function that removes them again. */
export function handleAll(ipc: IpcMainLike, handlers: ChannelHandlers, trusted: SenderCheck = isTrustedSender): () => void {
  const channels = Object.keys(IPC_CHANNELS) as Channel[];
  for (const channel of channels) handle(ipc, channel, handlers[channel], trusted);
  return () => {
    for (const channel of channels) ipc.removeHandler(invokeName(channel));
  };
}
