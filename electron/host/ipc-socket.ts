/**
 * The IPC contract over one WebSocket: each text message is a JSON request checked against the
 * contract (envelope, channel, argument schema) before its handler runs; each reply is checked
 * against the channel's reply schema before it leaves. A malformed or forged message gets an error
 * reply and changes nothing; binary frames and oversized messages are refused the same way.
 */
import type { RawData, WebSocket } from 'ws';
import { IPC_CHANNELS, parseRequest, requestId, type ChannelHandlers, type IpcReply, type IpcRequest } from '../ipc/contract.js';

export function serveIpc(socket: WebSocket, handlers: ChannelHandlers): void {
  const send = (reply: IpcReply): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
  };
  // ws closes the socket itself on protocol errors (oversized or bad frames); without a listener
  // the error event would end the whole host.
  socket.on('error', () => socket.terminate());
  socket.on('message', (data: RawData, isBinary: boolean) => {
    let decoded: unknown;
    try {
      if (isBinary) throw new TypeError('request: binary messages are not part of the contract');
      decoded = JSON.parse(rawText(data));
    } catch (e) {
      send({ id: -1, error: { message: e instanceof SyntaxError ? 'request: not JSON' : (e as Error).message } });
      return;
    }
    let request: IpcRequest;
    try {
      request = parseRequest(decoded);
    } catch (e) {
      send({ id: requestId(decoded), error: { message: (e as Error).message } });
      return;
    }
    void answer(request, handlers).then(send);
  });
}

async function answer(request: IpcRequest, handlers: ChannelHandlers): Promise<IpcReply> {
  try {
    const handler = handlers[request.channel] as (arg: unknown) => unknown;
    const result = await handler(request.arg);
    const problem = IPC_CHANNELS[request.channel].reply.check(result, 'result');
    if (problem) throw new Error(`internal: ${request.channel} reply does not fit its schema (${problem})`);
    return { id: request.id, result };
  } catch (e) {
    return { id: request.id, error: { message: (e as Error).message } };
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
