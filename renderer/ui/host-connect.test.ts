import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WireviewBridge } from '../../electron/ipc/bridge.js';
import type { LiveMessage } from '../../electron/ipc/events.js';
import { BridgeHost, connectHost, type HostWindow } from './host-connect.js';

function fakeBridge(reply: unknown): WireviewBridge & { calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  return {
    calls,
    call: (channel, arg) => {
      calls.push([channel, arg]);
      return Promise.resolve(reply);
    },
    onDidOpenFile: () => () => undefined,
    onDidRequestCommand: () => () => undefined,
    onDidFail: () => () => undefined,
    onDidProgressFile: () => () => undefined,
  };
}

function fakeWindow(bridge?: WireviewBridge): HostWindow & { dispatch(event: Partial<MessageEvent>): void } {
  const listeners: Array<(event: MessageEvent) => void> = [];
  const win = {
    ...(bridge ? { wireview: bridge } : {}),
    location: { origin: 'app://wireview' } as Location,
    addEventListener: (_type: 'message', listener: (event: MessageEvent) => void) => listeners.push(listener),
    dispatch: (event: Partial<MessageEvent>) => {
      for (const l of listeners) l(event as MessageEvent);
    },
  };
  return win;
}

const HELLO = { version: '0.1.0', host: 'electron', file: null };

test('with window.wireview the page talks to the preload bridge, and checks its replies', async () => {
  const bridge = fakeBridge(HELLO);
  const host = await connectHost(fakeWindow(bridge));
  assert.equal(host.kind, 'electron');
  assert.deepEqual(await host.call('app.hello', {}), HELLO);
  assert.deepEqual(bridge.calls, [['app.hello', {}]]);
  const liar = new BridgeHost(fakeBridge({ ...HELLO, host: 'elsewhere' }), fakeWindow());
  await assert.rejects(liar.call('app.hello', {}), /app.hello: result.host: expected one of "browser", "electron"/);
});

test('live batches: only the port our preload posts (same window, our origin, the tag) is used', async () => {
  const win = fakeWindow(fakeBridge(HELLO));
  const host = new BridgeHost(win.wireview!, win);
  const got: LiveMessage[] = [];
  host.onLiveBatch((m) => got.push(m));
  const forged = new MessageChannel();
  const real = new MessageChannel();
  win.dispatch({ source: {} as Window, origin: 'app://wireview', data: { tag: 'wireview:live-port' }, ports: [forged.port2] });
  win.dispatch({ source: win as unknown as Window, origin: 'https://evil.example', data: { tag: 'wireview:live-port' }, ports: [forged.port2] });
  win.dispatch({ source: win as unknown as Window, origin: 'app://wireview', data: { tag: 'other' }, ports: [forged.port2] });
  win.dispatch({ source: win as unknown as Window, origin: 'app://wireview', data: { tag: 'wireview:live-port' }, ports: [real.port2] });
  forged.port1.postMessage({ seq: 0, bytes: new ArrayBuffer(1) });
  real.port1.postMessage({ seq: 'x', bytes: new ArrayBuffer(1) });
  real.port1.postMessage({ seq: 7, bytes: Uint8Array.of(1, 2, 3).buffer });
  await new Promise((done) => setTimeout(done, 50));
  assert.equal(got.length, 1);
  assert.equal(got[0]!.seq, 7);
  assert.deepEqual([...new Uint8Array(got[0]!.bytes)], [1, 2, 3]);
  for (const p of [forged.port1, forged.port2, real.port1, real.port2]) p.close();
});
