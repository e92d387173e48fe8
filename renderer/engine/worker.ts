/**
 * The engine Web Worker: serves one Engine over postMessage. Requests are `{id, method, arg}`;
 * replies are `{id, result}` or `{id, error: {name, message, offset?}}`. The engine's queries are
 * answered at once, in request order (a file arrives as `importChunk` pieces the page reads, then
 * `importEnd`: ui/open-trace.ts); a long query sends `{id, progress}` replies on the way. The typed
 * arrays of a result are transferred, not copied (the engine never keeps them). No DOM or React here: the worker global is declared with only
 * what the protocol uses.
 */
import { Engine } from './engine.js';
import { InputError } from './errors.js';
import { createLazyDetectingImporter, ImporterLoader } from './formats/lazy-importers.js';

/** The performance mark the worker sets once it serves requests (its module and imports are evaluated). */
export const ENGINE_READY_MARK = 'wireview:engine-ready';

/** The methods a client may call: every public query of Engine. */
export const ENGINE_METHODS = [
  'importChunk',
  'importEnd',
  'info',
  'counts',
  'lod',
  'groupLod',
  'pick',
  'rowPlace',
  'eventMarks',
  'page',
  'position',
  'details',
  'timeRange',
  'checkFilter',
  'flows',
  'flowLadder',
  'flowSeries',
  'flowOfRow',
] as const satisfies readonly (keyof Engine)[];
export type EngineMethod = (typeof ENGINE_METHODS)[number];
export interface EngineRequest {
  readonly id: number;
  readonly method: EngineMethod;
  readonly arg: unknown;
}

export interface EngineError {
  readonly name: string;
  readonly message: string;
  /** InputError only: byte offset (files) or column (filters). */
  readonly offset?: number;
}

export type EngineReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: EngineError }
  /** A long query (the first `groupLod` of a grouping): how far it is. */
  | { readonly id: number; readonly progress: number };

/** The part of a worker's global scope (or a MessagePort) the protocol needs. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const METHODS: ReadonlySet<string> = new Set(ENGINE_METHODS);

function errorReply(id: number, e: unknown): EngineReply {
  const err = e instanceof Error ? e : new Error(String(e));
  const error: EngineError =
    err instanceof InputError && err.offset !== undefined ? { name: err.name, message: err.message, offset: err.offset } : { name: err.name, message: err.message };
  return { id, error };
}

/** Least time between two progress replies of one query, ms (the first is sent at once). */
const PROGRESS_EVERY_MS = 50;

/**
 * Answers one request; never throws (errors become an error reply). A long query (the first
 * `groupLod` of a grouping) reports how far it is through `progress` (rows done) while it runs.
 */
export function handleRequest(engine: Engine, data: unknown, progress?: (done: number) => void): { reply: EngineReply; transfer: Transferable[] } {
  const req = data as Partial<EngineRequest> | null;
  const id = typeof req?.id === 'number' ? req.id : -1;
  try {
    if (!req || typeof req.method !== 'string' || !METHODS.has(req.method)) {
      throw new TypeError(`unknown engine method ${String(req?.method)}`);
    }
    const method = engine[req.method as EngineMethod] as (arg: unknown, progress?: (done: number) => void) => unknown;
    const result = method.call(engine, req.arg ?? {}, progress);
    return { reply: { id, result }, transfer: transferables(result) };
  } catch (e) {
    return { reply: errorReply(id, e), transfer: [] };
  }
}

/** The buffers of the typed arrays in `result` (top level and one level down), each once. */
function transferables(result: unknown): Transferable[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
    } else if (v !== null && typeof v === 'object' && depth < 2) {
      for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(result, 0);
  return [...out];
}

/**
 * Serves `engine` on `endpoint` (the worker scope, or a MessagePort), answering in request order.
 * With `loader`, the import stream is held back while the importer its first bytes need loads
 * (formats/lazy-importers.ts); requests that arrive meanwhile wait their turn.
 */
export function serveEngine(engine: Engine, endpoint: MessageEndpoint, loader?: ImporterLoader): void {
  const answer = (data: unknown, loadFailure?: unknown): void => {
    const req = data as Partial<EngineRequest> | null;
    const id = typeof req?.id === 'number' ? req.id : -1;
    if (loadFailure !== undefined) return endpoint.postMessage(errorReply(id, loadFailure), []);
    let last = -Infinity;
    const progress = (done: number): void => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      endpoint.postMessage({ id, progress: done }, []);
    };
    const { reply, transfer } = handleRequest(engine, data, progress);
    endpoint.postMessage(reply, transfer);
  };
  // The requests waiting behind a load (undefined: none), and how many.
  let queue: Promise<void> | undefined;
  let queued = 0;
  endpoint.addEventListener('message', (event) => {
    const req = event.data as Partial<EngineRequest> | null;
    const load = loader?.before(String(req?.method), req?.arg);
    if (!queue && !load) return answer(event.data);
    queued++;
    queue = (queue ?? Promise.resolve())
      .then(() => load)
      .then(
        () => answer(event.data),
        (e: unknown) => answer(event.data, e),
      )
      .finally(() => {
        if (--queued === 0) queue = undefined;
      });
  });
}

// Running as a dedicated worker (not imported by Node or a test): serve a fresh engine.
const scope = globalThis as { WorkerGlobalScope?: unknown } & Partial<MessageEndpoint>;
if (scope.WorkerGlobalScope !== undefined && typeof scope.postMessage === 'function') {
  serveEngine(new Engine({ createImporter: createLazyDetectingImporter }), scope as MessageEndpoint, new ImporterLoader());
  // When the worker could first answer, on its own clock (the UI bench reads it: ENGINE_READY_MARK).
  performance.mark(ENGINE_READY_MARK);
}
