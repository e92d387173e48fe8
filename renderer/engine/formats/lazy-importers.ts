/**
 * The engine worker's importers: the WireView trace reader is part of its bundle (every open of a
 * trace, and every capture, needs it at once); the pcap/pcapng and seed CSV importers (and what
 * they pull in: the DNS decoder, Node's Buffer twin) are loaded only when such a file arrives, so
 * that the worker is smaller and ready sooner. `ImporterLoader` looks at the first bytes of the
 * stream before the engine sees them and loads the importer they need; until it is loaded, the
 * worker holds the stream back (worker.ts).
 */
import type { EventStore } from '../store/event-store.js';
import { createTraceImporter } from './arrow/trace-reader.js';
import type { Importer, InputKind } from './importer.js';
import { createDetectingImporterWith, DETECT_BYTES, detectInput } from './input-kind.js';

type MakeImporter = (store: EventStore, name: string) => Importer;
type LazyKind = Exclude<InputKind, 'wireview'>;

const loaders: Record<LazyKind, () => Promise<MakeImporter>> = {
  pcap: async () => (await import('./pcap/pcap-importer.js')).createPcapImporter,
  pcapng: async () => (await import('./pcap/pcap-importer.js')).createPcapImporter,
  csv: async () => (await import('./csv/csv-import.js')).createCsvImporter,
};
const loaded = new Map<InputKind, MakeImporter>([['wireview', createTraceImporter]]);

/** Loads the importer for `kind` (once); resolves when `createLoadedImporter` can make it. */
export async function loadImporter(kind: InputKind): Promise<void> {
  if (loaded.has(kind)) return;
  try {
    loaded.set(kind, await loaders[kind as LazyKind]());
  } catch (e) {
    throw new Error(`could not load the ${kind} importer: ${(e as Error).message}`);
  }
}

/** The importer for `kind`, which must have been loaded (`loadImporter`). */
function createLoadedImporter(kind: InputKind, store: EventStore, name: string): Importer {
  const make = loaded.get(kind);
  if (!make) throw new Error(`the ${kind} importer is not loaded`);
  return make(store, name);
}

/** An importer that recognises its input from its first bytes, among the importers loaded. */
export function createLazyDetectingImporter(store: EventStore, name: string): Importer {
  return createDetectingImporterWith(createLoadedImporter, store, name);
}

/**
 * Watches one engine's import stream (its `importChunk` chunks, then `importEnd`) and, at the
 * request that lets the detecting importer tell the kind, returns the load of that kind's
 * importer to wait for before the engine gets the request; undefined when nothing is to wait for.
 */
export class ImporterLoader {
  private head = new Uint8Array(DETECT_BYTES);
  private headBytes = 0;
  private decided = false;

  before(method: string, arg: unknown): Promise<void> | undefined {
    if (this.decided) return undefined;
    if (method === 'importChunk') {
      const chunk = (arg as { chunk?: unknown } | null)?.chunk;
      if (!(chunk instanceof Uint8Array)) return undefined;
      const take = Math.min(chunk.length, DETECT_BYTES - this.headBytes);
      this.head.set(chunk.subarray(0, take), this.headBytes);
      this.headBytes += take;
      if (this.headBytes < DETECT_BYTES) return undefined;
    } else if (method !== 'importEnd' || this.headBytes === 0) {
      return undefined;
    }
    this.decided = true;
    const kind = detectInput(this.head.subarray(0, this.headBytes));
    // Not a kind WireView reads: the engine reports that itself.
    return kind === undefined || loaded.has(kind) ? undefined : loadImporter(kind);
  }
}
