import { laneOfEvent } from '../index/lane-index.js';
import { EVENTS, type EventDef } from '../model/events.js';
import type { EventStore } from '../store/event-store.js';
import { RowReader, type FieldValue } from '../values/field-values.js';

/** Everything the details pane shows for one event. */
export interface RowDetails {
  /** Global row number. */
  readonly row: number;
  /** Timeline lane (class × 8 + priority − 1). */
  readonly lane: number;
  /** The catalog entry of the row's event: id, class, priority, description, analogs, sources. */
  readonly event: EventDef;
  /** Every field with a value, in FIELDS order, as JSON Lines writes it (`ts_ns` is an exact bigint). */
  readonly fields: Record<string, FieldValue>;
}

/** Details of global row `row`; throws RangeError when the store has no such row. */
export function rowDetails(store: EventStore, row: number): RowDetails {
  if (!Number.isInteger(row) || row < 0 || row >= store.rowCount) throw new RangeError(`no row ${row} (the trace has ${store.rowCount})`);
  const b = store.batchOf(row);
  const local = row - store.batchStart[b]!;
  const reader = new RowReader(store);
  const eventIndex = reader.raw(b, local, 'event') ?? 0;
  return { row, lane: laneOfEvent(eventIndex), event: EVENTS[eventIndex]!, fields: reader.object(b, local) };
}
