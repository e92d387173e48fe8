import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateOptions } from './capture-addon.js';

test('capture options are validated before they reach the addon', () => {
  assert.deepEqual(validateOptions({ ringBufferBytes: 1 << 20, drainIntervalMs: 5 }), { ringBufferBytes: 1 << 20, drainIntervalMs: 5 });
  assert.throws(() => validateOptions({ ringBufferBytes: 3 << 20 }), /Expected "ringBufferBytes" to be a power of two/);
  assert.throws(() => validateOptions({ ringBufferBytes: 2048 }), /"ringBufferBytes" to be from 4096/);
  assert.throws(() => validateOptions({ drainIntervalMs: 0 }), /"drainIntervalMs" to be an integer from 1 to 1000/);
  assert.throws(() => validateOptions({ maxFrameBytes: 100 }), /"maxFrameBytes"/);
  assert.throws(() => validateOptions({ maxFramesInFlight: 1.5 }), /"maxFramesInFlight"/);
  assert.throws(() => validateOptions({ cgroupPath: 'sys/fs/cgroup' }), /"cgroupPath" to be an absolute path/);
});
