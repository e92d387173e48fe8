import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tellingLine } from './capture-helper-client.js';

test("a helper that died of an exception is described by the exception's message, not Node's version line", () => {
  const stderr = [
    'file:///usr/lib/wireview/dist/electron/helper/main.js:12',
    '    throw new Error("cannot load the BPF object");',
    '    ^',
    '',
    'Error: cannot load the BPF object: Invalid argument',
    '    at load (file:///usr/lib/wireview/dist/electron/helper/main.js:12:11)',
    '',
    'Node.js v20.20.2',
    '',
  ].join('\n');
  assert.equal(tellingLine(stderr), 'Error: cannot load the BPF object: Invalid argument');
});

test('a helper that said why in its own words is described by its last line', () => {
  assert.equal(tellingLine('probing\nwireview-helper: cannot mount bpffs at /sys/fs/bpf: Permission denied\n'), 'wireview-helper: cannot mount bpffs at /sys/fs/bpf: Permission denied');
  assert.equal(tellingLine(''), undefined);
});
