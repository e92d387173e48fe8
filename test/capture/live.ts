/**
 * Shared by the live-capture tests: why they cannot run here (not root, addon not built, BPF
 * features missing), and one capture around an action, decoded by RecordDecoder into rows.
 */
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { ADDON_PATH, LiveCapture, probe, type CaptureOptions, type CaptureStats, type StartInfo } from '../../electron/native/capture-addon.js';
import type { CaptureFilter } from '../../electron/native/capture-config.js';
import { RecordDecoder } from '../../renderer/engine/records/decode.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { RowReader, type FieldValue } from '../../renderer/engine/values/field-values.js';

export type Row = Readonly<Record<string, FieldValue>>;

/**
 * Events that carry no ports, so port filters cannot narrow them to a test's traffic: whatever
 * else the machine does (its own ARP, route lookups, device queues, interfaces) shows up in them.
 * A test that selects by port and by a priority that includes them disables them.
 */
export const EVENTS_WITHOUT_PORTS = [
  'dev.xmit', 'dev.recv', 'route.lookup', 'route.unreachable', 'route.change', 'neigh.create', 'neigh.update', 'neigh.failed',
  'neigh.release', 'qdisc.create', 'qdisc.destroy', 'link.up', 'link.down', 'addr.add', 'addr.remove',
] as const;

/** Whether the running kernel is at least major.minor (from uname's release, e.g. 6.1.0-56-amd64). */
export function kernelAtLeast(major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release());
  if (!m) throw new Error(`cannot read a kernel version from os.release() = ${release()}`);
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

/**
 * tcp.reset_sent for the RST that answers a segment no socket wants (a SYN to a closed port):
 * tcp:tcp_send_reset fires for it from Linux 6.10 on ("trace: tcp: fully support
 * trace_tcp_send_reset"); before, only for active resets and resets of a full socket. The RST
 * itself is a pkt.tcp row on every kernel.
 */
export const RESET_SENT_WITHOUT_SOCKET: readonly string[] = kernelAtLeast(6, 10) ? ['tcp.reset_sent'] : [];

/**
 * Whether an IPv6 SYN-ACK passes the cgroup_skb egress hook (its pkt.tcp output row). The SYN-ACK
 * belongs to the request sock but ip6_xmit sends it through the listener, and before Linux 6.6
 * (commit 223f5f79f2ce, "bpf, net: Check skb ownership against full socket") the hook ran only
 * when the two were the same socket. IPv4 passes the request sock itself (ip_build_and_send_pkt),
 * so its SYN-ACK has its output row on every kernel; the v6 one still has its input row.
 */
export const IPV6_SYNACK_EGRESS = kernelAtLeast(6, 6);

/**
 * A time limit of a live test, `ms` on this machine. Under `npm run test:kernels` (kernel-vm sets
 * WV_KERNEL_VM) the kernel may be emulated by qemu (tcg), where everything runs 20-50x slower (a
 * CLI takes 10-30 s to start): the limit is 30 times longer there. What a test pins about
 * time holds on this machine; in the emulator a time measures the emulator.
 */
export function timeLimitMs(ms: number): number {
  return process.env.WV_KERNEL_VM === undefined ? ms : ms * 30;
}

let skipReason: string | false | undefined;

/** Why live capture tests cannot run on this machine, or false when they can. */
export function captureSkipReason(): string | false {
  if (skipReason !== undefined) return skipReason;
  if (process.getuid?.() !== 0) return (skipReason = 'live capture needs root (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)');
  if (!existsSync(ADDON_PATH)) return (skipReason = 'the capture addon is not built: npm run build:bpf && npm run build:native');
  const { features } = probe();
  const missing = (['btf', 'ringbuf', 'cgroup_skb', 'tracepoint'] as const).filter((f) => !features[f].ok);
  if (!features.tp_btf.ok && !features.raw_tp.ok) missing.push('tp_btf' as never);
  skipReason = missing.length ? `BPF is unavailable here: ${missing.map((f) => `${f} (${features[f].why})`).join('; ')}` : false;
  return skipReason;
}

export interface Recorded {
  /** The frames as the addon handed them over. */
  readonly frames: readonly Uint8Array[];
  readonly rows: readonly Row[];
  readonly store: EventStore;
  readonly stats: CaptureStats;
  readonly info: StartInfo;
}

/** Captures while `action` runs (plus `settleMs` for softirq stragglers), then decodes every frame. */
export async function recordWhile(filter: CaptureFilter, action: (capture: LiveCapture) => Promise<void>, options: CaptureOptions = {}, settleMs = 100): Promise<Recorded> {
  const frames: Uint8Array[] = [];
  const capture = LiveCapture.start(options, filter, (frame) => frames.push(frame));
  try {
    await action(capture);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  } finally {
    await withTimeout(capture.stop(), 5000, 'capture.stop() did not resolve');
  }
  const store = new EventStore();
  const decoder = new RecordDecoder(store, { sourceNames: capture.info.sources, dropReasonNames: capture.info.dropReasons });
  for (const frame of frames) decoder.decodeAll(frame);
  decoder.flush();
  const reader = new RowReader(store);
  const rows: Row[] = [];
  for (let r = 0; r < store.rowCount; r++) {
    const b = store.batchOf(r);
    rows.push(reader.object(b, r - store.batchStart[b]!));
  }
  return { frames, rows, store, stats: capture.stats(), info: capture.info };
}

/** `promise`, or a rejection after `ms`: a live test must fail, never hang. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The fields of `row` named in `keys`, for exact comparisons that ignore the rest. */
export function pick(row: Row, keys: readonly string[]): Record<string, FieldValue | undefined> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

/** A TCP/UDP port nothing listens on (bound once by the kernel's choice, then released). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `n` different ports nothing listens on (freePort until they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Runs a Python 3 snippet; resolves with its pid and stdout once it exits with status 0. */
export async function runPython(code: string, onStart?: (pid: number) => void): Promise<{ pid: number; out: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  onStart?.(child.pid!);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (status !== 0) throw new Error(`python3 exited with ${status}: ${out}`);
  return { pid: child.pid!, out: out.trim() };
}

/**
 * Leaves out drop.* rows of other traffic on the machine: a drop of a packet whose headers were never
 * parsed carries no ports, so a port filter cannot keep it out. Ours name the test's port.
 */
export function withoutPortlessDrops(rows: readonly Row[], port: number): Row[] {
  return rows.filter((r) => !String(r.event).startsWith('drop.') || r.sport === port || r.dport === port);
}

/**
 * The rows to or from `addr`. A port filter selects a port number, which another socket on the
 * machine can use too (other tests run alongside); a test's own address narrows to its traffic.
 */
export function ofAddress(rows: readonly Row[], addr: string): Row[] {
  return rows.filter((r) => r.saddr === addr || r.daddr === addr);
}

/** Python that connects a UDP socket to 127.0.0.1:port, sends `hello` and reads the refusal. */
export function udpToClosedPort(port: number, host = '127.0.0.1', comm?: string): string {
  return [
    'import socket, os, ctypes',
    comm ? `ctypes.CDLL(None).prctl(15, b'${comm}', 0, 0, 0)` : '',
    's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    `s.connect(('${host}', ${port}))`,
    "s.send(b'hello')",
    'try:',
    '    s.recv(10)',
    'except ConnectionRefusedError:',
    "    print('refused')",
  ].join('\n');
}
