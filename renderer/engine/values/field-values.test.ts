import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TCP_STATES } from '../model/enums.js';
import { EventStore } from '../store/event-store.js';
import { tcpStateName } from './field-values.js';

test('TCP states are named from the capturing kernel when the trace has its names, else from the table', () => {
  const store = new EventStore();
  assert.equal(tcpStateName(store, 1), 'ESTABLISHED');
  assert.equal(tcpStateName(store, TCP_STATES.length), String(TCP_STATES.length), 'a number the table lacks stays a number');
  // a kernel with a state newer than the table (what `capture` stores from its BTF)
  store.meta.extra.tcp_states = [...TCP_STATES, 'FUTURE_STATE'];
  assert.equal(tcpStateName(store, TCP_STATES.length), 'FUTURE_STATE');
  assert.equal(tcpStateName(store, 10), 'LISTEN');
  // names that are not strings, or not there, fall back to the table
  store.meta.extra.tcp_states = [0, '', null];
  assert.equal(tcpStateName(store, 0), '0');
  assert.equal(tcpStateName(store, 1), 'ESTABLISHED');
  store.meta.extra.tcp_states = 'ESTABLISHED';
  assert.equal(tcpStateName(store, 2), 'SYN_SENT');
});
