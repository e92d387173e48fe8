/**
 * UI state of live capture, in one zustand store: the options the dialog edits (persisted in
 * localStorage, checked against the IPC schema when read back), the host's last capture status,
 * the kernel's probe (which source each event uses), and a plain error with how to fix it.
 * The options are the CaptureFilter of the CLI (electron/native/capture-config.ts), so the same
 * capture starts from either.
 */
import { createStore } from 'zustand/vanilla';
import { captureFilterSchema, type CaptureFilterOptions, type ProbeReply } from '../../electron/ipc/capture-schema.js';
import type { CaptureStatus } from '../../electron/ipc/contract.js';
import { EVENTS, type EventDef } from '../engine/model/events.js';

/** Every class at INFO, no address, port or process narrowing: the CLI's default. */
export const DEFAULT_CAPTURE_OPTIONS: CaptureFilterOptions = { classes: ['core', 'aux'], priority: 7, enable: [], disable: [], addrs: [], ports: [], pids: [], comms: [] };

const STORAGE_KEY = 'wireview.capture-options';

export interface CaptureState {
  readonly options: CaptureFilterOptions;
  readonly status: CaptureStatus | null;
  readonly probe: ProbeReply | null;
  readonly dialogOpen: boolean;
  /** Why the last action failed, in words for the user (with how to grant privileges when that is why). */
  readonly error: string | null;
  readonly busy: boolean;
}

export interface CaptureActions {
  setOptions(options: CaptureFilterOptions): void;
  setStatus(status: CaptureStatus | null): void;
  setProbe(probe: ProbeReply): void;
  openDialog(): void;
  closeDialog(): void;
  setError(error: string | null): void;
  setBusy(busy: boolean): void;
}

export type CaptureStore = CaptureState & CaptureActions;
export type CaptureStoreApi = ReturnType<typeof createCaptureStore>;

/** The part of Storage the store uses (localStorage in the page; tests pass a Map-backed one). */
export interface OptionsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The saved options, or the defaults when there are none or they no longer fit the schema. */
export function loadCaptureOptions(storage: OptionsStorage | undefined): CaptureFilterOptions {
  try {
    const text = storage?.getItem(STORAGE_KEY);
    if (!text) return DEFAULT_CAPTURE_OPTIONS;
    const value: unknown = JSON.parse(text);
    return captureFilterSchema.check(value, 'options') === undefined ? { ...DEFAULT_CAPTURE_OPTIONS, ...(value as CaptureFilterOptions) } : DEFAULT_CAPTURE_OPTIONS;
  } catch {
    return DEFAULT_CAPTURE_OPTIONS;
  }
}

export function createCaptureStore(storage: OptionsStorage | undefined) {
  return createStore<CaptureStore>()((set) => ({
    options: loadCaptureOptions(storage),
    status: null,
    probe: null,
    dialogOpen: false,
    error: null,
    busy: false,
    setOptions(options) {
      set({ options });
      try {
        storage?.setItem(STORAGE_KEY, JSON.stringify(options));
      } catch {
        // storage full or denied: the options hold for this session
      }
    },
    setStatus: (status) => set({ status }),
    setProbe: (probe) => set({ probe }),
    openDialog: () => set({ dialogOpen: true }),
    closeDialog: () => set({ dialogOpen: false }),
    setError: (error) => set({ error }),
    setBusy: (busy) => set({ busy }),
  }));
}

/** Whether the class/priority rule alone selects `event` (before its own switch). */
function byLevel(options: CaptureFilterOptions, event: EventDef): boolean {
  return (options.classes ?? ['core', 'aux']).includes(event.class) && event.priority <= (options.priority ?? 7);
}

/** Whether `options` capture `event`: WindView's rule, as capture-config.ts selectedEvents applies it. */
export function eventSelected(options: CaptureFilterOptions, event: EventDef): boolean {
  if (options.enable?.includes(event.id)) return true;
  return byLevel(options, event) && !options.disable?.includes(event.id);
}

/** Options with one event's switch set: enable/disable lists hold only what differs from the rule. */
export function withEventSwitch(options: CaptureFilterOptions, id: string, on: boolean): CaptureFilterOptions {
  const event = EVENTS.find((e) => e.id === id);
  if (!event) return options;
  const enable = (options.enable ?? []).filter((x) => x !== id);
  const disable = (options.disable ?? []).filter((x) => x !== id);
  const level = byLevel(options, event);
  if (on && !level) enable.push(id);
  if (!on && level) disable.push(id);
  return { ...options, enable, disable };
}
