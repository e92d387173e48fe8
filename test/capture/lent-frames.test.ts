/**
 * `lendFrames` (the helper's way): each frame is whole while onFrame runs and detached (empty) once
 * it returns, its bytes given back to the reader; without it a frame kept by onFrame stays whole.
 * Traffic: UDP datagrams to 127.77.64.1 on loopback, the capture narrowed to that address.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { LiveCapture } from '../../electron/native/capture-addon.js';
import { frameLength } from '../../renderer/engine/records/decode.js';
import { captureSkipReason, withTimeout } from './live.js';

const ADDR = '127.77.64.1';
const skip = captureSkipReason();

interface Seen {
  readonly frame: Uint8Array;
  /** Its length and its own frame header's length, read during onFrame. */
  readonly bytes: number;
  readonly framed: number | undefined;
}

async function capture(lendFrames: boolean): Promise<Seen[]> {
  const seen: Seen[] = [];
  const filter = { classes: [], enable: ['pkt.udp'], addrs: [{ type: 'dst' as const, direction: 'both' as const, cidr: `${ADDR}/32` }] };
  const live = LiveCapture.start({ lendFrames, drainIntervalMs: 2 }, filter, (frame) => seen.push({ frame, bytes: frame.byteLength, framed: frameLength(frame) }));
  const receiver = createSocket('udp4');
  const sender = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => receiver.bind(0, ADDR, resolve));
    const { port } = receiver.address();
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve, reject) => sender.send(`datagram ${i}`, port, ADDR, (e) => (e ? reject(e) : resolve())));
      await new Promise((resolve) => setTimeout(resolve, 5)); // spread over several drains
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    sender.close();
    receiver.close();
    await withTimeout(live.stop(), 5000, 'capture.stop() did not resolve');
  }
  return seen;
}

test('lent frames are whole during onFrame and empty after it; frames not lent stay whole', { skip }, async () => {
  for (const lend of [true, false]) {
    const seen = await capture(lend);
    assert.ok(seen.length > 0, `no frame arrived (lendFrames ${lend})`);
    for (const s of seen) {
      assert.ok(s.bytes > 0);
      assert.equal(s.framed, s.bytes, 'one whole frame per call');
      assert.equal(s.frame.byteLength, lend ? 0 : s.bytes, `lendFrames ${lend}: the frame's length after onFrame`);
    }
  }
});
