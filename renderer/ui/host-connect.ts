/**
 * Which host serves this page, behind one interface: Electron's preload bridge when
 * `window.wireview` exists, else the browser host's WebSocket. Both speak the same contract
 * (electron/ipc); events and live batches exist only under Electron (the browser host opens its
 * one file at start and has no menus), so there they are subscriptions that never fire.
 */
import { LIVE_PORT_TAG, type WireviewBridge } from '../../electron/ipc/bridge.js';
import { parseReply, type Channel, type HostApi, type ReplyOf, type RequestOf } from '../../electron/ipc/contract.js';
import { isLiveMessage, type EventOf, type LiveMessage } from '../../electron/ipc/events.js';
import { SocketHost } from './host-client.js';

type Unsubscribe = () => void;

export interface Host extends HostApi {
  readonly kind: 'electron' | 'browser';
  onDidOpenFile(listener: (file: EventOf<'file.opened'>) => void): Unsubscribe;
  onDidRequestCommand(listener: (event: EventOf<'menu.command'>) => void): Unsubscribe;
  onDidFail(listener: (event: EventOf<'app.error'>) => void): Unsubscribe;
  /** Electron's File ▸ Save As… / Export… under way in main. */
  onDidProgressFile(listener: (event: EventOf<'file.progress'>) => void): Unsubscribe;
  /** Live capture flushes from main (Electron only); each `bytes` may be transferred on to the engine worker. */
  onLiveBatch(listener: (message: LiveMessage) => void): Unsubscribe;
}

/** The part of `window` the adapter reads; tests pass a fake. */
export interface HostWindow {
  readonly wireview?: WireviewBridge;
  readonly location: Location;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const never: Unsubscribe = () => undefined;

export class BridgeHost implements Host {
  readonly kind = 'electron';
  private readonly liveListeners = new Set<(message: LiveMessage) => void>();
  private port: MessagePort | null = null;

  constructor(
    private readonly bridge: WireviewBridge,
    win: HostWindow,
  ) {
    // Only the preload, posting from this window to our own origin, hands over the live port.
    win.addEventListener('message', (event) => {
      if (event.source !== win || event.origin !== win.location.origin) return;
      if ((event.data as { tag?: unknown } | null)?.tag !== LIVE_PORT_TAG) return;
      const port = event.ports[0];
      if (port) this.usePort(port);
    });
  }

  async call<C extends Channel>(channel: C, arg: RequestOf<C>): Promise<ReplyOf<C>> {
    const result = await this.bridge.call(channel, arg);
    // The reply is checked here too: the page trusts no shape it did not verify.
    return parseReply(channel, { id: 0, result });
  }

  onDidOpenFile(listener: (file: EventOf<'file.opened'>) => void): Unsubscribe {
    return this.bridge.onDidOpenFile(listener);
  }

  onDidRequestCommand(listener: (event: EventOf<'menu.command'>) => void): Unsubscribe {
    return this.bridge.onDidRequestCommand(listener);
  }

  onDidFail(listener: (event: EventOf<'app.error'>) => void): Unsubscribe {
    return this.bridge.onDidFail(listener);
  }

  onDidProgressFile(listener: (event: EventOf<'file.progress'>) => void): Unsubscribe {
    return this.bridge.onDidProgressFile(listener);
  }

  onLiveBatch(listener: (message: LiveMessage) => void): Unsubscribe {
    this.liveListeners.add(listener);
    return () => {
      this.liveListeners.delete(listener);
    };
  }

  private usePort(port: MessagePort): void {
    this.port?.close();
    this.port = port;
    port.onmessage = (event: MessageEvent) => {
      if (!isLiveMessage(event.data)) return;
      for (const listener of this.liveListeners) listener(event.data);
    };
  }
}

/** The browser host: the WebSocket carries calls only. */
class BrowserHost implements Host {
  readonly kind = 'browser';
  constructor(private readonly socket: SocketHost) {}
  call<C extends Channel>(channel: C, arg: RequestOf<C>): Promise<ReplyOf<C>> {
    return this.socket.call(channel, arg);
  }
  onDidOpenFile = (): Unsubscribe => never;
  onDidRequestCommand = (): Unsubscribe => never;
  onDidFail = (): Unsubscribe => never;
  onDidProgressFile = (): Unsubscribe => never;
  onLiveBatch = (): Unsubscribe => never;
}

/** The host of this page: the preload bridge when present, else the socket of the host that served it. */
export async function connectHost(win: HostWindow): Promise<Host> {
  if (win.wireview) return new BridgeHost(win.wireview, win);
  return new BrowserHost(await SocketHost.connect(win.location));
}
