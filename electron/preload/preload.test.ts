// Runs the bundled preload (dist/electron/preload/preload.cjs, what Electron loads) in a VM context
// with stand-ins for Electron's contextBridge and ipcRenderer: no Electron binary needed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import type { WireviewBridge } from '../ipc/bridge.js';
import { eventName, invokeName, LIVE_PORT_MESSAGE } from '../ipc/events.js';

const BUNDLE = fileURLToPath(new URL('./preload.cjs', import.meta.url));

type Handler = (event: unknown, ...args: unknown[]) => void;

function loadPreload() {
  const invoked: Array<[string, unknown[]]> = [];
  const listeners = new Map<string, Set<Handler>>();
  const posted: unknown[][] = [];
  const required: string[] = [];
  const exposed = new Map<string, unknown>();
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args]);
      return Promise.resolve('answer');
    },
    on: (channel: string, fn: Handler) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: Handler) => listeners.get(channel)?.delete(fn),
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
  const module = { exports: {} };
  const context = createContext({
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
    window: { location: { origin: 'app://wireview' }, postMessage: (...args: unknown[]) => posted.push(args) },
  });
  runInContext(readFileSync(BUNDLE, 'utf8'), context);
  // Payloads arrive deserialized in the preload's own realm (as Electron's IPC delivers them).
  const realmJson = runInContext('JSON', context) as JSON;
  const emit = (channel: string, event: unknown, ...args: unknown[]): void => {
    const local = args.map((a) => (a === undefined ? a : realmJson.parse(JSON.stringify(a))));
    for (const fn of listeners.get(channel) ?? []) fn(event, ...local);
  };
  return { invoked, listeners, posted, required, exposed, ipcRenderer, emit };
}

test('the bundle exists, requires only electron and exposes only the named methods', { skip: !existsSync(BUNDLE) && 'run `npm run build` first' }, () => {
  const { required, exposed, ipcRenderer } = loadPreload();
  assert.deepEqual(required, ['electron']);
  assert.deepEqual([...exposed.keys()], ['wireview']);
  const api = exposed.get('wireview') as Record<string, unknown>;
  assert.deepEqual(Object.keys(api).sort(), ['call', 'onDidFail', 'onDidOpenFile', 'onDidProgressFile', 'onDidRequestCommand']);
  for (const value of Object.values(api)) {
    assert.equal(typeof value, 'function');
    assert.notEqual(value, ipcRenderer.invoke);
  }
});

test('call refuses unknown channels and forwards contract channels with their one argument', { skip: !existsSync(BUNDLE) && 'run `npm run build` first' }, async () => {
  const { exposed, invoked } = loadPreload();
  const api = exposed.get('wireview') as WireviewBridge;
  for (const channel of ['nope', 'wireview:call:app.hello', '__proto__', 'hasOwnProperty', 42]) {
    await assert.rejects(api.call(channel as string, {}), /unknown channel/);
  }
  assert.equal(invoked.length, 0, 'nothing reached ipcRenderer');
  assert.equal(await api.call('app.hello', {}), 'answer');
  assert.deepEqual(invoked, [[invokeName('app.hello'), [{}]]]);
});

test('event listeners get only payloads that fit the schema, and unsubscribe', { skip: !existsSync(BUNDLE) && 'run `npm run build` first' }, () => {
  const { exposed, emit, listeners } = loadPreload();
  const api = exposed.get('wireview') as WireviewBridge;
  const got: unknown[] = [];
  const off = api.onDidOpenFile((file) => got.push(file));
  const good = { name: 't.pcap', bytes: 3, url: '/file?n=1' };
  emit(eventName('file.opened'), {}, good);
  emit(eventName('file.opened'), {}, { ...good, path: '/etc/shadow' });
  emit(eventName('file.opened'), {}, 'not an object');
  emit(eventName('file.opened'), {});
  assert.equal(JSON.stringify(got), JSON.stringify([good]));
  off();
  assert.equal(listeners.get(eventName('file.opened'))?.size, 0);
  const commands: unknown[] = [];
  api.onDidRequestCommand((c) => commands.push(c));
  emit(eventName('menu.command'), {}, { command: 'capture.start' });
  emit(eventName('menu.command'), {}, { command: 'rm -rf' });
  assert.equal(JSON.stringify(commands), JSON.stringify([{ command: 'capture.start' }]));
  const progress: unknown[] = [];
  api.onDidProgressFile((p) => progress.push(p));
  const step = { action: 'save', name: 'x.arrows', percent: 40, done: false };
  emit(eventName('file.progress'), {}, step);
  emit(eventName('file.progress'), {}, { ...step, percent: 140 });
  emit(eventName('file.progress'), {}, { ...step, action: 'delete' });
  emit(eventName('file.progress'), {}, { ...step, done: 'yes' });
  emit(eventName('file.progress'), {}, { ...step, name: 'x'.repeat(600) });
  assert.equal(JSON.stringify(progress), JSON.stringify([step]));
  assert.throws(() => api.onDidFail('not a function' as never), /must be a function/);
});

test('the live MessagePort is handed to our own origin only', { skip: !existsSync(BUNDLE) && 'run `npm run build` first' }, () => {
  const { emit, posted } = loadPreload();
  const port = { fake: 'port' };
  emit(LIVE_PORT_MESSAGE, { ports: [port] });
  emit(LIVE_PORT_MESSAGE, { ports: [] });
  assert.equal(posted.length, 1);
  const [message, origin, transfer] = posted[0]!;
  assert.equal(JSON.stringify(message), JSON.stringify({ tag: 'wireview:live-port' }));
  assert.equal(origin, 'app://wireview');
  assert.equal((transfer as unknown[])[0], port);
});
