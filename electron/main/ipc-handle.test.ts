import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAppHandlers } from '../ipc/app-handlers.js';
import { IPC_CHANNELS, type Channel, type ChannelHandlers } from '../ipc/contract.js';
import { invokeName } from '../ipc/events.js';
import { isTrustedSender, type SenderFrameLike } from './app-origin.js';
import { handle, handleAll, type InvokeEventLike, type IpcMainLike } from './ipc-handle.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** An ipcMain stand-in: records handlers and lets a test invoke them like Electron does. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    assert.equal(this.handlers.has(channel), false, `${channel} registered twice`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, frame: SenderFrameLike | null, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderFrame: frame }, ...args);
  }
}

const OUR_PAGE: SenderFrameLike = { url: 'app://wireview/index.html', parent: null };

function counted(): { handlers: ChannelHandlers; calls: () => number } {
  let calls = 0;
  const inner = createAppHandlers({ version: '1.2.3', host: 'electron', currentFile: () => ({ name: 'a.pcap', bytes: 10, url: '/file?n=1' }) });
  const handlers = Object.fromEntries(
    Object.entries(inner).map(([channel, f]) => [
      channel,
      (arg: unknown) => {
        calls++;
        return (f as (a: unknown) => unknown)(arg);
      },
    ]),
  ) as unknown as ChannelHandlers;
  return { handlers, calls: () => calls };
}

test('a call from our own top-level app:// page reaches the shared handler and gets its reply', async () => {
  const ipc = new FakeIpcMain();
  const { handlers, calls } = counted();
  handleAll(ipc, handlers);
  const reply = await ipc.invoke(invokeName('app.hello'), OUR_PAGE, {});
  assert.deepEqual(reply, { version: '1.2.3', host: 'electron', file: { name: 'a.pcap', bytes: 10, url: '/file?n=1' } });
  assert.equal(calls(), 1);
});

const FORGED: Array<[string, SenderFrameLike | null]> = [
  ['no frame (destroyed or navigated away)', null],
  ['a subframe of our page', { url: 'app://wireview/index.html', parent: {} }],
  ['a remote page', { url: 'https://evil.example/index.html', parent: null }],
  ['a file:// page', { url: 'file:///work/main/dist-renderer/index.html', parent: null }],
  ['another app:// host', { url: 'app://wireview.evil/index.html', parent: null }],
  ['credentials in the URL', { url: 'app://user:pw@wireview/index.html', parent: null }],
  ['a data: URL', { url: 'data:text/html,<script>1</script>', parent: null }],
  ['about:blank', { url: 'about:blank', parent: null }],
  ['an unparsable URL', { url: 'not a url', parent: null }],
];

for (const channel of Object.keys(IPC_CHANNELS) as Channel[]) {
  for (const [what, frame] of FORGED) {
    test(`${channel}: refused from ${what}, the handler does not run`, async () => {
      const ipc = new FakeIpcMain();
      const { handlers, calls } = counted();
      handleAll(ipc, handlers);
      await assert.rejects(ipc.invoke(invokeName(channel), frame, {}), /refused, the sender is not WireView's own page/);
      assert.equal(calls(), 0);
    });
  }
}

const MALFORMED: Array<[string, unknown[], RegExp]> = [
  ['no argument', [], /expected one argument, got 0/],
  ['two arguments', [{}, {}], /expected one argument, got 2/],
  ['null', [null], /arg: expected an object, got null/],
  ['a string', ['hello'], /arg: expected an object, got string/],
  ['an array', [[]], /arg: expected an object, got array/],
  ['an unexpected key', [{ output: '/etc/shadow' }], /arg: unexpected key "output"/],
  ['a non-plain object', [new Date(0)], /arg: expected a plain object/],
  ['a prototype-polluting key', [JSON.parse('{"__proto__": {"x": 1}}')], /arg: unexpected key "__proto__"/],
];

for (const channel of Object.keys(IPC_CHANNELS) as Channel[]) {
  for (const [what, args, message] of MALFORMED) {
    test(`${channel}: ${what} is refused by the request schema, the handler does not run`, async () => {
      const ipc = new FakeIpcMain();
      const { handlers, calls } = counted();
      handleAll(ipc, handlers);
      await assert.rejects(ipc.invoke(invokeName(channel), OUR_PAGE, ...args), message);
      assert.equal(calls(), 0);
      // …and the channel still answers good calls afterwards.
      assert.equal(((await ipc.invoke(invokeName('app.hello'), OUR_PAGE, {})) as { version: string }).version, '1.2.3');
    });
  }
}

const MALFORMED_ARGS: Array<[Channel, unknown, RegExp]> = [
  ['capture.start', { filter: { ports: [{ type: 'src', direction: 'in', from: 70000 }] } }, /arg\.filter\.ports\[0\]\.from: 70000 is not in 0…65535/],
  ['capture.start', { filter: { classes: ['kernel'] } }, /arg\.filter\.classes\[0\]: expected one of "core", "aux"/],
  ['capture.start', { filter: { comms: ['x'.repeat(16)] } }, /arg\.filter\.comms\[0\]: longer than 15 characters/],
  ['capture.start', { filter: { pids: [0] } }, /arg\.filter\.pids\[0\]: 0 is not in 1…/],
  ['capture.start', { filter: { probeEvery: 1 } }, /arg\.filter: unexpected key "probeEvery"/],
  ['capture.start', { output: '/etc/passwd' }, /arg: unexpected key "output"/],
  ['file.openRecent', {}, /arg\.path: missing/],
  ['file.openRecent', { path: 7 }, /arg\.path: expected a string, got number/],
  ['file.openRecent', { path: 'x'.repeat(4097) }, /arg\.path: longer than 4096 characters/],
];

for (const [channel, arg, message] of MALFORMED_ARGS) {
  test(`${channel}: ${JSON.stringify(arg).slice(0, 60)} is refused by the request schema`, async () => {
    const ipc = new FakeIpcMain();
    const { handlers, calls } = counted();
    handleAll(ipc, handlers);
    await assert.rejects(ipc.invoke(invokeName(channel), OUR_PAGE, arg), message);
    assert.equal(calls(), 0);
  });
}

test('a reply that does not fit its schema is not sent', async () => {
  const ipc = new FakeIpcMain();
  handle(ipc, 'app.hello', () => ({ version: '1', host: 'electron', file: null, secret: 'x' }) as never);
  await assert.rejects(ipc.invoke(invokeName('app.hello'), OUR_PAGE, {}), /internal: app.hello reply does not fit its schema \(result: unexpected key "secret"\)/);
});

test('only contract channels are registered, and handleAll can remove them again', () => {
  const ipc = new FakeIpcMain();
  const remove = handleAll(ipc, counted().handlers);
  assert.deepEqual([...ipc.handlers.keys()].sort(), Object.keys(IPC_CHANNELS).map(invokeName).sort());
  remove();
  assert.equal(ipc.handlers.size, 0);
});

test('a custom sender check decides instead of the default one', async () => {
  const ipc = new FakeIpcMain();
  const { handlers, calls } = counted();
  handleAll(ipc, handlers, () => false);
  await assert.rejects(ipc.invoke(invokeName('app.hello'), OUR_PAGE, {}), /refused/);
  assert.equal(calls(), 0);
  assert.equal(isTrustedSender(OUR_PAGE), true);
  assert.equal(isTrustedSender(undefined), false);
});
