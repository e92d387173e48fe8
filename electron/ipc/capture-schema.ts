/**
 * The capture options as they cross IPC: the same CaptureFilter the CLI builds
 * (electron/native/capture-config.ts: classes, priority, per-event switches, address and port
 * rules with type and direction, pids, comms), as a schema both sides check, and the probe's answer
 * (which source each event uses on this kernel). Plain data only: the renderer imports this file.
 * The host still runs the filter through nativeConfig(), which checks what a schema cannot (CIDR
 * syntax, known event ids, port order) and names the bad option.
 */
import { array, boolean, integer, literal, nullable, object, optional, string, type Infer } from './schema.js';

const PRIORITY_NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'VERBOSE'] as const;
const ruleKind = { type: literal('src', 'dst'), direction: literal('in', 'out', 'both') };

export const captureFilterSchema = object({
  classes: optional(array(literal('core', 'aux'), 2)),
  /** 1 = EMERGENCY … 8 = VERBOSE */
  priority: optional(integer(1, PRIORITY_NAMES.length)),
  enable: optional(array(string(40), 256)),
  disable: optional(array(string(40), 256)),
  addrs: optional(array(object({ ...ruleKind, cidr: string(50) }), 16)),
  ports: optional(array(object({ ...ruleKind, from: integer(0, 65535), to: optional(integer(0, 65535)) }), 16)),
  pids: optional(array(integer(1, 0x3fffffff), 1024)),
  comms: optional(array(string(15), 256)),
});
export type CaptureFilterOptions = Infer<typeof captureFilterSchema>;

export const captureStartRequest = object({ filter: optional(captureFilterSchema) });

/** Which source each catalog event would use here (`wireview capture --probe`), or why none. */
export const probeReply = object({
  /** False when this host cannot start the helper without asking (then `events` is empty). */
  available: boolean(),
  /** Why not, with how to grant the privileges. */
  message: nullable(string(2048)),
  events: array(object({ id: string(40), sources: array(string(128), 16), why: optional(string(512)) }), 256),
});
export type ProbeReply = Infer<typeof probeReply>;
