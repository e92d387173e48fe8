/**
 * The IPC contract (electron/ipc) over the browser host's WebSocket. The socket is same-origin;
 * the host lets it in by the cookie the page load set (or the token, passed on as well).
 */
import { isReply, parseReply, type Channel, type HostApi, type ReplyOf, type RequestOf } from '../../electron/ipc/contract.js';

export class SocketHost implements HostApi {
  private nextId = 1;
  private readonly pending = new Map<number, { channel: Channel; resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!isReply(message)) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      try {
        waiter.resolve(parseReply(waiter.channel, message));
      } catch (e) {
        waiter.reject(e as Error);
      }
    });
    socket.addEventListener('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('the WireView host closed the connection'));
      this.pending.clear();
    });
  }

  /** Connects to the host that served this page; rejects when it refuses. */
  static connect(location: Location): Promise<SocketHost> {
    const token = new URLSearchParams(location.search).get('token');
    const url = `ws://${location.host}/ipc${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new SocketHost(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error('could not connect to the WireView host')), { once: true });
    });
  }

  call<C extends Channel>(channel: C, arg: RequestOf<C>): Promise<ReplyOf<C>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { channel, resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, channel, arg }));
    });
  }
}
