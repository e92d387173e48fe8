/**
 * Electron's live-capture path without Electron's binary, with a real capture (root): the page's
 * CaptureController asks through a preload-shaped bridge, the shared handlers drive main's
 * PumpedCapture (HostCapture + TracePump), the trace travels over a real MessageChannel as
 * LiveBatchSender's ArrayBuffers into BridgeHost, and followCapture feeds it to an engine —
 * the Engine class the worker runs, called in-process — until the page shows the capture's
 * events, exactly those the trace file holds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HostCapture } from '../../electron/host/host-capture.js';
import { createAppHandlers } from '../../electron/ipc/app-handlers.js';
import type { WireviewBridge } from '../../electron/ipc/bridge.js';
import { LIVE_PORT_TAG } from '../../electron/ipc/bridge.js';
import type { ChannelHandlers } from '../../electron/ipc/contract.js';
import { LiveBatchSender } from '../../electron/main/live-batches.js';
import { PumpedCapture, TracePump } from '../../electron/main/live-capture.js';
import { openTrace } from '../../electron/services/input-file.js';
import { Engine } from '../../renderer/engine/engine.js';
import { createDetectingImporter } from '../../renderer/engine/formats/detect.js';
import { createCaptureStore } from '../../renderer/state/capture-store.js';
import { createViewStore } from '../../renderer/state/view-store.js';
import { CaptureController } from '../../renderer/ui/capture/capture-controller.js';
import type { EngineClient } from '../../renderer/ui/engine-client.js';
import { BridgeHost, type HostWindow } from '../../renderer/ui/host-connect.js';
import { captureSkipReason, freePort, runPython } from '../capture/live.js';

const skip = captureSkipReason();
const hostCapture = new HostCapture();
after(() => hostCapture.close());

/** The engine worker's Engine, answering EngineClient's calls in this process. */
function inProcessEngine(): EngineClient {
  const engine = new Engine({ createImporter: createDetectingImporter });
  return { call: async (method: string, arg: unknown) => (engine as unknown as Record<string, (a: unknown) => unknown>)[method]!(arg), terminate: () => engine.dispose() } as unknown as EngineClient;
}

test('Electron: a live capture reaches the page over the MessagePort and shows the events of its trace file', { skip, timeout: 60_000 }, async () => {
  const { port1, port2 } = new MessageChannel();
  const sender = new LiveBatchSender({ postMessage: (m) => port1.postMessage(m), close: () => port1.close() });
  const capture = new PumpedCapture(hostCapture, new TracePump(hostCapture, () => sender));
  const handlers: ChannelHandlers = createAppHandlers({ version: 't', host: 'electron', currentFile: () => null, capture });
  const bridge: WireviewBridge = {
    call: async (channel, arg) => (handlers as unknown as Record<string, (a: unknown) => unknown>)[channel]!(arg),
    onDidOpenFile: () => () => undefined,
    onDidRequestCommand: () => () => undefined,
    onDidFail: () => () => undefined,
    onDidProgressFile: () => () => undefined,
  };
  let deliver: ((event: MessageEvent) => void) | undefined;
  const win: HostWindow = { wireview: bridge, location: { origin: 'app://wireview' } as Location, addEventListener: (_t, l) => (deliver = l) };
  const host = new BridgeHost(bridge, win);
  deliver!({ source: win, origin: 'app://wireview', data: { tag: LIVE_PORT_TAG }, ports: [port2] } as unknown as MessageEvent);

  const view = createViewStore('light');
  const store = createCaptureStore(undefined);
  const port = await freePort();
  store.getState().setOptions({ classes: [], enable: ['pkt.udp'], ports: [{ type: 'dst', direction: 'both', from: port }] });
  const controller = new CaptureController(host, view, store, inProcessEngine);

  await controller.start();
  assert.equal(store.getState().error, null);
  assert.equal(store.getState().status?.state, 'running');
  await runPython(`import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor i in range(5):\n    s.sendto(b'x', ('127.0.0.1', ${port}))`);
  const deadline = Date.now() + 5000;
  while ((view.getState().trace?.rowCount ?? 0) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(view.getState().trace?.rowCount, 5, 'the five datagrams reach the page while capturing');

  await controller.stop();
  const deadline2 = Date.now() + 5000;
  while (view.getState().loading !== null && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 20));
  const { store: file } = await openTrace(hostCapture.tracePath!);
  assert.equal(view.getState().trace?.rowCount, file.rowCount, 'the page holds what the trace file holds');
  assert.equal(view.getState().loadError, null);
  port1.close();
  port2.close();
});
