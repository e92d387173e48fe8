import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureFilterSchema } from '../../../electron/ipc/capture-schema.js';
import { DEFAULT_CAPTURE_OPTIONS } from '../../state/capture-store.js';
import { formOf, optionsOf, type CaptureForm } from './capture-form.js';

const base = formOf(DEFAULT_CAPTURE_OPTIONS);
const withRules = (patch: Partial<CaptureForm>): CaptureForm => ({ ...base, ...patch });

test('what the user typed becomes the capture filter, and it fits the IPC schema', () => {
  const options = optionsOf(
    withRules({
      addrs: [{ type: 'dst', direction: 'out', cidr: ' 10.0.0.0/8 ' }, { type: 'src', direction: 'in', cidr: 'fe80::/10' }],
      ports: [{ type: 'dst', direction: 'both', from: '443', to: '' }, { type: 'src', direction: 'in', from: '8000', to: '8099' }],
      pids: '12, 345 ,',
      comms: 'curl,  firefox',
    }),
  );
  assert.deepEqual(options.addrs, [{ type: 'dst', direction: 'out', cidr: '10.0.0.0/8' }, { type: 'src', direction: 'in', cidr: 'fe80::/10' }]);
  assert.deepEqual(options.ports, [{ type: 'dst', direction: 'both', from: 443 }, { type: 'src', direction: 'in', from: 8000, to: 8099 }]);
  assert.deepEqual([options.pids, options.comms], [[12, 345], ['curl', 'firefox']]);
  assert.equal(captureFilterSchema.check(options, 'options'), undefined);
  assert.deepEqual(optionsOf(formOf(options)), options, 'the form shows saved options as they were');
});

test('each mistake is one line naming the field', () => {
  const problem = (patch: Partial<CaptureForm>): string => {
    try {
      optionsOf(withRules(patch));
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.equal(problem({ addrs: [{ type: 'dst', direction: 'both', cidr: '10.0.0.300' }] }), 'Address filter 1: expected an address or CIDR (10.0.0.0/8, ::1), got "10.0.0.300"');
  assert.equal(problem({ addrs: [{ type: 'dst', direction: 'both', cidr: '10.0.0.0/33' }] }), 'Address filter 1: expected an address or CIDR (10.0.0.0/8, ::1), got "10.0.0.0/33"');
  assert.equal(problem({ ports: [{ type: 'dst', direction: 'both', from: '', to: '' }] }), 'Port filter 1: expected a port number (0–65535), got ""');
  assert.equal(problem({ ports: [{ type: 'dst', direction: 'both', from: '90', to: '80' }] }), 'Port filter 1: the range ends (80) before it starts (90)');
  assert.equal(problem({ pids: '12, x' }), 'Process ids: expected numbers separated by commas, got "x"');
  assert.equal(problem({ comms: 'a-very-long-command-name' }), 'Commands: "a-very-long-command-name" is longer than the 15 bytes the kernel keeps of a command name');
});
