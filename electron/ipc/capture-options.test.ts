// The capture dialog (renderer/state/capture-store.ts) against the CLI's filter rules (electron/native/capture-config.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectedEvents } from '../native/capture-config.js';
import type { CaptureFilterOptions } from './capture-schema.js';
import { EVENTS } from '../../renderer/engine/model/events.js';
import { createCaptureStore, DEFAULT_CAPTURE_OPTIONS, eventSelected, loadCaptureOptions, withEventSwitch } from '../../renderer/state/capture-store.js';

function memoryStorage(): { getItem(k: string): string | null; setItem(k: string, v: string): void; data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const selectedIds = (o: Parameters<typeof eventSelected>[0]) => EVENTS.filter((e) => eventSelected(o, e)).map((e) => e.id);
const nativeIds = (o: Parameters<typeof selectedEvents>[0]) => selectedEvents(o).map((i) => EVENTS[i]!.id);

test('the dialog selects exactly the events the capture filter selects, switch by switch', () => {
  let options: CaptureFilterOptions = { ...DEFAULT_CAPTURE_OPTIONS, classes: ['core'], priority: 5 };
  assert.deepEqual(selectedIds(options), nativeIds(options));
  options = withEventSwitch(options, 'tcp.probe', true); // aux VERBOSE: outside the rule, enabled
  options = withEventSwitch(options, 'tcp.retransmit', false); // inside the rule, disabled
  assert.deepEqual(options.enable, ['tcp.probe']);
  assert.deepEqual(options.disable, ['tcp.retransmit']);
  assert.deepEqual(selectedIds(options), nativeIds(options));
  assert.ok(selectedIds(options).includes('tcp.probe'));
  assert.ok(!selectedIds(options).includes('tcp.retransmit'));
  // switching back leaves no trace in the lists
  options = withEventSwitch(withEventSwitch(options, 'tcp.probe', false), 'tcp.retransmit', true);
  assert.deepEqual([options.enable, options.disable], [[], []]);
});

test('options persist, and saved options that no longer fit the schema fall back to the defaults', () => {
  const storage = memoryStorage();
  const store = createCaptureStore(storage);
  assert.deepEqual(store.getState().options, DEFAULT_CAPTURE_OPTIONS);
  const chosen = { ...DEFAULT_CAPTURE_OPTIONS, priority: 4, ports: [{ type: 'dst' as const, direction: 'out' as const, from: 443 }], comms: ['curl'] };
  store.getState().setOptions(chosen);
  assert.deepEqual(createCaptureStore(storage).getState().options, chosen);
  storage.data.set('wireview.capture-options', JSON.stringify({ priority: 99 }));
  assert.deepEqual(loadCaptureOptions(storage), DEFAULT_CAPTURE_OPTIONS);
  storage.data.set('wireview.capture-options', '{not json');
  assert.deepEqual(loadCaptureOptions(storage), DEFAULT_CAPTURE_OPTIONS);
});
