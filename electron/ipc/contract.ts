/**
 * THE IPC contract between the UI and the main process's services, shared by every transport
 * (the browser host's WebSocket now; Electron's preload bridge later). Every call takes one
 * argument and answers one reply (a Promise on the caller's side); each channel's request and
 * reply have a schema that the receiving side checks before it acts. Plain data only: no Node or
 * DOM imports, so the renderer may import this file.
 */
import { captureFilterSchema, captureStartRequest, probeReply } from './capture-schema.js';
import { array, integer, literal, nullable, object, string, type Infer, type Schema } from './schema.js';

/** The trace file the host was started with (its bytes come from `GET /file`). */
export const openedFile = object({
  /** The file's base name, for titles and messages. */
  name: string(1024),
  /** Size in bytes (for the progress bar). */
  bytes: integer(),
  /** Same-origin URL of the bytes. */
  url: string(256),
});

/** Where a live capture stands: its counters, and where its trace bytes are read from. */
export const captureStatus = object({
  state: literal('idle', 'running', 'paused', 'helper-lost', 'stopped'),
  /** Records the helper delivered, and records the kernel lost (ring buffer full). */
  records: integer(),
  lost: integer(),
  /** Bytes of native trace written so far; `GET url?from=N` answers bytes N… of it. */
  traceBytes: integer(),
  url: string(256),
  /** Why the capture stopped on its own or could not go on (the helper's exit), else null. */
  message: nullable(string(2048)),
  /** The kernel-side filter of the running (or last) capture, as the host applied it. */
  filter: nullable(captureFilterSchema),
});

const recentFiles = object({ files: array(object({ name: string(1024), path: string(4096) }), 10) });

export const IPC_CHANNELS = {
  /** First call of a page: who serves it and what to open. */
  'app.hello': {
    request: object({}),
    reply: object({
      version: string(64),
      host: literal('browser', 'electron'),
      file: nullable(openedFile),
    }),
  },
  /** Starts a live capture with the options' filter (default: every class at INFO) into a native trace the page follows. */
  'capture.start': { request: captureStartRequest, reply: captureStatus },
  'capture.stats': { request: object({}), reply: captureStatus },
  /** Pauses a running capture (the helper stops recording; the gap is marked in the trace), and resumes it. */
  'capture.pause': { request: object({}), reply: captureStatus },
  'capture.resume': { request: object({}), reply: captureStatus },
  /** Stops the capture; the trace is complete once this answers. */
  'capture.stop': { request: object({}), reply: captureStatus },
  /** Which source each event uses on this kernel (the addon's probe, run by the helper). */
  'capture.probe': { request: object({}), reply: probeReply },
  /** Opens the sample trace shipped with the app; the reply says where its bytes are. */
  'file.openSample': { request: object({}), reply: openedFile },
  /** The files this host opened recently, newest first. */
  'file.recent': { request: object({}), reply: recentFiles },
  /** Opens one of `file.recent`'s paths again (no other path is accepted). */
  'file.openRecent': { request: object({ path: string(4096) }), reply: openedFile },
} as const satisfies Record<string, { request: Schema<unknown>; reply: Schema<unknown> }>;

export type Channel = keyof typeof IPC_CHANNELS;
export type RequestOf<C extends Channel> = Infer<(typeof IPC_CHANNELS)[C]['request']>;
export type ReplyOf<C extends Channel> = Infer<(typeof IPC_CHANNELS)[C]['reply']>;
export type OpenedFile = Infer<typeof openedFile>;
export type CaptureStatus = Infer<typeof captureStatus>;

/** What the UI may ask: the same interface whichever transport carries it. */
export interface HostApi {
  call<C extends Channel>(channel: C, arg: RequestOf<C>): Promise<ReplyOf<C>>;
}

/** The services side: one handler per channel, given a request that already passed its schema. */
export type ChannelHandlers = { [C in Channel]: (arg: RequestOf<C>) => Promise<ReplyOf<C>> | ReplyOf<C> };

/** Largest message either side accepts on a socket transport, bytes. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** A request on the wire. `id` pairs it with its reply. */
export interface IpcRequest {
  readonly id: number;
  readonly channel: Channel;
  readonly arg: unknown;
}

export type IpcReply = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: { readonly message: string } };

const MAX_ID = 2 ** 31 - 1;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(IPC_CHANNELS, name);
}

/**
 * Checks the envelope of a decoded request (an object with exactly `id`, `channel`, `arg`; a known
 * channel) and the argument against the channel's schema. Throws TypeError saying what is wrong.
 */
export function parseRequest(message: unknown): IpcRequest {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new TypeError('request: expected an object');
  const m = message as Record<string, unknown>;
  for (const k of Object.keys(m)) if (k !== 'id' && k !== 'channel' && k !== 'arg') throw new TypeError(`request: unexpected key ${JSON.stringify(k)}`);
  const idProblem = integer(0, MAX_ID).check(m.id, 'request.id');
  if (idProblem) throw new TypeError(idProblem);
  if (!isChannel(m.channel)) throw new TypeError(`request.channel: unknown channel ${JSON.stringify(String(m.channel)).slice(0, 80)}`);
  const problem = IPC_CHANNELS[m.channel].request.check(m.arg, 'arg');
  if (problem) throw new TypeError(problem);
  return { id: m.id as number, channel: m.channel, arg: m.arg };
}

/** The id of a request that failed `parseRequest`, when it has a usable one (else −1). */
export function requestId(message: unknown): number {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID ? id : -1;
}

/** Checks a reply's envelope and, when it succeeded, its result against `channel`'s reply schema. */
export function parseReply<C extends Channel>(channel: C, reply: IpcReply): ReplyOf<C> {
  if ('error' in reply) throw new Error(reply.error.message);
  const problem = IPC_CHANNELS[channel].reply.check(reply.result, 'result');
  if (problem) throw new TypeError(`${channel}: ${problem}`);
  return reply.result as ReplyOf<C>;
}

/** Checks that a decoded message is a reply envelope (`{id, result}` or `{id, error: {message}}`). */
export function isReply(message: unknown): message is IpcReply {
  if (message === null || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  if (typeof m.id !== 'number') return false;
  if ('result' in m) return true;
  const e = m.error as { message?: unknown } | undefined;
  return typeof e === 'object' && e !== null && typeof e.message === 'string';
}
