/** Shared by the pcap integration tests: import bytes in chunks, and read rows back as JSON objects. */
import { createPcapImporter } from '../../renderer/engine/formats/pcap/pcap-importer.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { RowReader, type FieldValue } from '../../renderer/engine/values/field-values.js';

/** Imports `bytes`, pushed in chunks of `chunk` bytes (odd sizes exercise record boundaries). */
export function importCapture(bytes: Uint8Array, chunk = 65521): EventStore {
  const store = new EventStore();
  const importer = createPcapImporter(store, 'test');
  for (let o = 0; o < bytes.length; o += chunk) importer.push(bytes.slice(o, o + chunk));
  importer.end();
  return store;
}

/** Every row as its JSON Lines object, in row order. */
export function rowObjects(store: EventStore): Record<string, FieldValue>[] {
  const reader = new RowReader(store);
  const out: Record<string, FieldValue>[] = [];
  for (let b = 0; b < store.batches.length; b++) for (let r = 0; r < store.batches[b]!.length; r++) out.push(reader.object(b, r));
  return out;
}
