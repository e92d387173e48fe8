import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isReply, parseReply, parseRequest, requestId } from './contract.js';

test('parseRequest accepts a well-formed request and refuses forged or malformed ones', () => {
  assert.deepEqual(parseRequest({ id: 1, channel: 'app.hello', arg: {} }), { id: 1, channel: 'app.hello', arg: {} });
  const refusals: [unknown, RegExp][] = [
    ['hello', /expected an object/],
    [{ id: -1, channel: 'app.hello', arg: {} }, /request\.id: -1 is not in/],
    [{ id: 1, channel: 'toString', arg: {} }, /unknown channel "toString"/],
    [{ id: 1, channel: '__proto__', arg: {} }, /unknown channel/],
    [{ id: 1, channel: 'app.hello', arg: { x: 1 } }, /arg: unexpected key "x"/],
    [{ id: 1, channel: 'app.hello' }, /arg: expected an object, got undefined/],
    [{ id: 1, channel: 'app.hello', arg: {}, sender: 'main' }, /unexpected key "sender"/],
  ];
  for (const [message, error] of refusals) assert.throws(() => parseRequest(message), error, JSON.stringify(message));
  assert.equal(requestId({ id: 7, channel: 'nope' }), 7);
  assert.equal(requestId({ id: 'x' }), -1);
});

test('parseReply checks the result against the channel reply schema', () => {
  const result = { version: '0.1.0', host: 'browser', file: null };
  assert.deepEqual(parseReply('app.hello', { id: 1, result }), result);
  assert.throws(() => parseReply('app.hello', { id: 1, result: { ...result, host: 'evil' } }), /result\.host: expected one of/);
  assert.throws(() => parseReply('app.hello', { id: 1, error: { message: 'refused' } }), /refused/);
  assert.equal(isReply({ id: 1, result: 2 }), true);
  assert.equal(isReply({ id: 1, error: {} }), false);
  assert.equal(isReply({ result: 2 }), false);
});
