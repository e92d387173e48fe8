/**
 * The preload of WireView's window (sandboxed: bundled to one CommonJS file, see
 * build/vite.preload.config.ts). It exposes `window.wireview` — named methods that refuse
 * unknown channels and events and check event payloads against their schemas — and hands the live
 * capture MessagePort to the page. ipcRenderer itself never reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { LIVE_PORT_TAG, type WireviewBridge } from '../ipc/bridge.js';
import { isChannel } from '../ipc/contract.js';
import { eventName, invokeName, IPC_EVENTS, LIVE_PORT_MESSAGE, type EventName, type EventOf } from '../ipc/events.js';

function subscribe<E extends EventName>(name: E, listener: (payload: EventOf<E>) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError(`${name}: the listener must be a function`);
  const wrapped = (_event: IpcRendererEvent, payload: unknown): void => {
    if (IPC_EVENTS[name].check(payload, name) === undefined) listener(payload as EventOf<E>);
  };
  ipcRenderer.on(eventName(name), wrapped);
  return () => {
    ipcRenderer.removeListener(eventName(name), wrapped);
  };
}

const bridge: WireviewBridge = {
  call(channel, arg) {
    if (!isChannel(channel)) return Promise.reject(new TypeError(`unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`));
    return ipcRenderer.invoke(invokeName(channel), arg) as Promise<unknown>;
  },
  onDidOpenFile: (listener) => subscribe('file.opened', listener),
  onDidRequestCommand: (listener) => subscribe('menu.command', listener),
  onDidProgressFile: (listener) => subscribe('file.progress', listener),
  onDidFail: (listener) => subscribe('app.error', listener),
};

contextBridge.exposeInMainWorld('wireview', bridge);

// A MessagePort cannot cross the context bridge; window.postMessage to our own origin can carry it.
ipcRenderer.on(LIVE_PORT_MESSAGE, (event: IpcRendererEvent) => {
  const port = event.ports[0];
  if (port) window.postMessage({ tag: LIVE_PORT_TAG }, window.location.origin, [port]);
});
