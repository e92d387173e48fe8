/**
 * A ring buffer per CPU, merged by time: two senders pinned to different CPUs send at once, and
 * the records reach JS in time order across CPUs (within the few a nested program can invert), with
 * none lost and none twice, through rings small enough to wrap several times. Read straight from
 * the frames (records.h): wv_hdr's ts_ns, cpu and size. Traffic: UDP datagrams to 127.77.66.1 on
 * loopback, the capture narrowed to that address.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LiveCapture } from '../../electron/native/capture-addon.js';
import { captureSkipReason, withTimeout } from './live.js';

const ADDR = '127.77.66.1';
const FRAME_HEADER_BYTES = 24; // wv_frame_hdr
const RING_BYTES = 1 << 20;

/** The CPUs this process may run on (Cpus_allowed_list of /proc/self/status: "0-3,6"). */
function allowedCpus(): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  return list.split(',').flatMap((part) => {
    const [lo, hi = lo] = part.split('-').map(Number);
    return lo === undefined || hi === undefined || Number.isNaN(lo) ? [] : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  });
}

const cpus = allowedCpus().slice(0, 2);
const skip = captureSkipReason() || (cpus.length < 2 ? 'needs two CPUs to run on' : false);

interface Sender {
  /** Resolves once the process is ready to send. */
  readonly ready: Promise<void>;
  /**
   * Starts it: it sends for 0.5 s, 100 datagrams a millisecond at most (flat out, two senders would
   * starve the reader of both CPUs and overrun the rings), then resolves with how many it sent.
   */
  go(): Promise<number>;
}

/** A python3 process on CPU `cpu` that sends datagrams to ADDR:port for 0.5 s once told to. */
function sender(cpu: number, port: number): Sender {
  const code = [
    'import socket, sys, time',
    's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    "print('ready', flush=True)",
    'sys.stdin.readline()',
    'n = 0',
    'end = time.time() + 0.5',
    'while time.time() < end:',
    `    for i in range(100): s.sendto(b'x', ('${ADDR}', ${port}))`,
    '    n += 100',
    '    time.sleep(0.001)',
    'print(n, flush=True)',
  ].join('\n');
  const child = spawn('taskset', ['-c', String(cpu), 'python3', '-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  const exited = new Promise<number>((resolve, reject) =>
    child.on('exit', (status) => (status === 0 ? resolve(Number(out.slice('ready\n'.length).trim())) : reject(new Error(`sender on CPU ${cpu} exited with ${status}`)))),
  );
  return {
    ready: Promise.race([ready, exited.then(() => undefined)]),
    go: () => {
      child.stdin.end('go\n');
      return exited;
    },
  };
}

test('records made on two CPUs at once arrive merged in time order, none lost', { skip }, async () => {
  const records: { ts: bigint; cpu: number; size: number }[] = [];
  const filter = { classes: [], enable: ['pkt.udp'], addrs: [{ type: 'dst' as const, direction: 'both' as const, cidr: `${ADDR}/32` }] };
  // Drains of 20 ms, each holding many records of both CPUs: unmerged, every drain's second ring would run back in time.
  const live = LiveCapture.start({ drainIntervalMs: 20, ringBufferBytes: RING_BYTES }, filter, (frame) => {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const count = view.getUint32(8, true);
    let at = FRAME_HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const size = view.getUint16(at + 38, true);
      records.push({ ts: view.getBigUint64(at, true), cpu: view.getUint32(at + 32, true), size });
      at += size;
    }
  });
  const receiver = createSocket('udp4');
  let sent = [0, 0];
  try {
    await new Promise<void>((resolve) => receiver.bind(0, ADDR, resolve));
    const { port } = receiver.address();
    // both started only once both are ready: they overlap whatever their start-up takes
    const senders = cpus.map((cpu) => sender(cpu, port));
    await Promise.all(senders.map((x) => x.ready));
    sent = await Promise.all(senders.map((x) => x.go()));
    await new Promise((resolve) => setTimeout(resolve, 150));
  } finally {
    receiver.close();
    await withTimeout(live.stop(), 5000, 'capture.stop() did not resolve');
  }
  assert.equal(live.stats().lost, 0);
  assert.ok(sent[0]! > 0 && sent[1]! > 0, `both senders sent (${sent.join(', ')})`);
  // a pkt.udp record out and one in per datagram
  assert.equal(records.length, 2 * (sent[0]! + sent[1]!), 'records');
  const bytesByCpu = new Map<number, number>();
  for (const r of records) bytesByCpu.set(r.cpu, (bytesByCpu.get(r.cpu) ?? 0) + r.size);
  for (const cpu of cpus) {
    // the ring's positions wrapped: records were read across its end, through the second mapping
    assert.ok((bytesByCpu.get(cpu) ?? 0) > RING_BYTES, `CPU ${cpu} wrote ${bytesByCpu.get(cpu) ?? 0} bytes of records, more than its ${RING_BYTES}-byte ring`);
  }
  // Records behind the latest time already delivered. Nested programs on one CPU can invert a pair
  // (a record's time is read after its reservation), so a few may be; unmerged rings give about half.
  let latest = 0n;
  let behind = 0;
  for (const r of records) {
    if (r.ts < latest) behind++;
    else latest = r.ts;
  }
  assert.ok(behind <= records.length / 100, `${behind} of ${records.length} records arrived behind a later one`);
  // The senders overlapped: the stream switches CPU many times, not once per drain.
  let switches = 0;
  for (let i = 1; i < records.length; i++) if (records[i]!.cpu !== records[i - 1]!.cpu) switches++;
  assert.ok(switches > 100, `the two CPUs' records interleave (${switches} switches)`);
});
