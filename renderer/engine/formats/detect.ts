/** Every importer, wired in eagerly: for Node (the CLI, the host, tests); the worker loads them lazily (lazy-importers.ts). */
import type { EventStore } from '../store/event-store.js';
import { createTraceImporter } from './arrow/trace-reader.js';
import { createCsvImporter } from './csv/csv-import.js';
import type { Importer, InputKind } from './importer.js';
import { createDetectingImporterWith } from './input-kind.js';
import { createPcapImporter } from './pcap/pcap-importer.js';

export { detectInput } from './input-kind.js';

/** The importer for `kind`, appending to `store`; `name` (the file's name) is for messages. */
export function createImporter(kind: InputKind, store: EventStore, name: string): Importer {
  switch (kind) {
    case 'wireview':
      return createTraceImporter(store, name);
    case 'pcap':
    case 'pcapng':
      return createPcapImporter(store, name);
    case 'csv':
      return createCsvImporter(store, name);
  }
}

/** An importer that recognises its input from the first bytes pushed (input-kind.ts: createDetectingImporterWith). */
export function createDetectingImporter(store: EventStore, name: string): Importer {
  return createDetectingImporterWith(createImporter, store, name);
}
