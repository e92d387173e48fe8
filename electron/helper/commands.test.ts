import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError, MAX_COMMAND_BYTES, parseCommand } from './commands.js';
import { mulberry32 as rng } from '../../test/support/rng.js';

const VALID = [
  '{"id":1,"cmd":"probe"}',
  '{"id":2,"cmd":"start","filter":{"classes":["core"],"priority":"INFO","enable":["tcp.probe"],"disable":["pkt.udp"],"addrs":[{"type":"dst","direction":"out","cidr":"127.0.0.0/8"}],"ports":[{"type":"dst","direction":"both","from":80,"to":90}],"pids":[42],"comms":["curl"]},"options":{"ringBufferBytes":65536}}',
  '{"id":3,"cmd":"reconfigure","filter":{"priority":5}}',
  '{"id":4,"cmd":"pause"}',
  '{"id":5,"cmd":"resume"}',
  '{"id":6,"cmd":"stop"}',
];

test('every command of the protocol parses', () => {
  const names = VALID.map((l) => parseCommand(l).cmd);
  assert.deepEqual(names, ['probe', 'start', 'reconfigure', 'pause', 'resume', 'stop']);
  const start = parseCommand('{"id":9,"cmd":"start","filter":{}}');
  assert.deepEqual(start.cmd === 'start' && start.options, {});
});

test('malformed, unknown and mistyped commands are refused with a reason and the id when readable', () => {
  const refusals: [string, RegExp, number | null][] = [
    ['not json', /not a JSON object/, null],
    ['[1,2]', /not a JSON object/, null],
    ['{"id":1,"cmd":"exec","path":"/bin/sh"}', /unknown command "exec"/, 1],
    ['{"id":1}', /unknown command null/, 1],
    ['{"id":1,"cmd":"toString"}', /unknown command "toString"/, 1],
    ['{"id":1,"cmd":"__proto__"}', /unknown command/, 1],
    ['{"id":2,"cmd":"probe","extra":true}', /unknown key "extra"/, 2],
    ['{"id":-1,"cmd":"probe"}', /command.id: expected an integer/, null],
    ['{"id":3,"cmd":"start"}', /"filter" is required/, 3],
    ['{"id":3,"cmd":"start","filter":{"priority":9}}', /priority/, 3],
    ['{"id":3,"cmd":"start","filter":{"classes":"core"}}', /classes: expected a list/, 3],
    ['{"id":3,"cmd":"start","filter":{"pids":[0]}}', /pids\[0\]/, 3],
    ['{"id":3,"cmd":"start","filter":{"comms":["a-name-longer-than-15"]}}', /comms\[0\]/, 3],
    ['{"id":3,"cmd":"start","filter":{"addrs":[{"type":"dst","direction":"out","cidr":"10.0.0.0/8; rm -rf /"}]}}', /cidr/, 3],
    ['{"id":3,"cmd":"start","filter":{"ports":[{"type":"src","direction":"in","from":90,"to":80}]}}', /"to" below "from"/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"cgroupPath":"/etc/shadow"}}', /cgroupPath/, 3],
    ['{"id":3,"cmd":"start","filter":{},"options":{"bpfObject":"/tmp/evil.o"}}', /unknown key "bpfObject"/, 3],
    [`{"id":4,"cmd":"probe","x":"${'a'.repeat(MAX_COMMAND_BYTES)}"}`, /longer than/, null],
  ];
  for (const [line, reason, id] of refusals) {
    assert.throws(
      () => parseCommand(line),
      (e: unknown) => e instanceof CommandError && reason.test(e.message) && e.id === id,
      line.slice(0, 120),
    );
  }
});

test('thousands of mutated commands are refused or parse to a schema-valid command, nothing else', () => {
  const rand = rng(0xc0de);
  const alphabet = '{}[]":,0123456789-.eE truefalsnl\\/abcdxyz';
  let refused = 0;
  let accepted = 0;
  for (let n = 0; n < 20000; n++) {
    const chars = [...VALID[n % VALID.length]!];
    const edits = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rand() * chars.length);
      const op = rand();
      const c = alphabet[Math.floor(rand() * alphabet.length)]!;
      if (op < 0.4) chars[at] = c;
      else if (op < 0.7) chars.splice(at, 1);
      else chars.splice(at, 0, c);
    }
    const line = chars.join('');
    try {
      const cmd = parseCommand(line);
      accepted++;
      // Whatever was accepted is exactly a command of the protocol: re-serialised it parses again.
      assert.deepEqual(parseCommand(JSON.stringify(cmd)), cmd, line);
    } catch (e) {
      assert.ok(e instanceof CommandError, `${line}: ${(e as Error).stack}`);
      assert.ok(!e.message.includes('\n'));
      refused++;
    }
  }
  assert.ok(refused > 10000, `refused ${refused}`);
  assert.ok(accepted > 0, 'some mutations stay valid (e.g. another id)');
});
