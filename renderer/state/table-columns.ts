/**
 * Which fields the event table can show and which it shows by default. The column chooser offers
 * every field of the catalog except the raw relative time (the wall clock stands for it).
 */
import { FIELDS } from '../engine/model/fields.js';

/** Every field the table can show, in table order. */
export const COLUMN_KEYS: readonly string[] = ['time', ...FIELDS.map((f) => f.key).filter((k) => k !== 'ts_ns' && k !== 'time')];

export const DEFAULT_COLUMNS: readonly string[] = ['time', 'event', 'priority', 'comm', 'pid', 'proto', 'saddr', 'sport', 'daddr', 'dport', 'size', 'tcp_flags'];
