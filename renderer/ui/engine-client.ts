/**
 * The UI's handle on the engine worker: one typed async call per Engine query, paired with its
 * reply by id (the worker answers in order, but ids keep that an implementation detail).
 */
import type { Engine } from '../engine/engine.js';
import type { EngineMethod, EngineReply } from '../engine/worker.js';

export type EngineArg<M extends EngineMethod> = Parameters<Engine[M]>[0];
export type EngineResult<M extends EngineMethod> = ReturnType<Engine[M]>;

/** An error the engine reported; `offset` is the byte (files) or 1-based column (filters). */
export class EngineCallError extends Error {
  constructor(
    name: string,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** The call's engine was stopped (its trace was replaced): nothing to report to the user. */
export class EngineStoppedError extends Error {
  constructor() {
    super('the engine was stopped');
    this.name = 'EngineStoppedError';
  }
}

export class EngineClient {
  private nextId = 1;
  private stopped = false;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (bytes: number) => void }>();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<EngineReply>) => {
      const reply = event.data;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      if ('progress' in reply) return waiter.progress?.(reply.progress);
      this.pending.delete(reply.id);
      if ('error' in reply) waiter.reject(new EngineCallError(reply.error.name, reply.error.message, reply.error.offset));
      else waiter.resolve(reply.result);
    });
    worker.addEventListener('error', (event) => {
      const error = new Error(`engine worker failed: ${event.message}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  static start(): EngineClient {
    return new EngineClient(new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module', name: 'engine' }));
  }

  /** Stops the worker (the next trace gets a fresh engine); pending calls are rejected. */
  terminate(): void {
    this.stopped = true;
    this.worker.terminate();
    for (const waiter of this.pending.values()) waiter.reject(new EngineStoppedError());
    this.pending.clear();
  }

  /** One query; `progress` hears how far a long one is (the first `groupLod` of a grouping: rows done). */
  call<M extends EngineMethod>(method: M, arg: EngineArg<M>, transfer: Transferable[] = [], progress?: (done: number) => void): Promise<EngineResult<M>> {
    return this.request(method, arg, transfer, progress);
  }

  private request<R>(method: string, arg: unknown, transfer: Transferable[], progress?: (bytes: number) => void): Promise<R> {
    // A stopped engine answers nothing: an open still feeding it (replaced by another) stops at once.
    if (this.stopped) return Promise.reject(new EngineStoppedError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}) });
      this.worker.postMessage({ id, method, arg }, transfer);
    });
  }
}
