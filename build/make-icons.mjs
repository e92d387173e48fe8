#!/usr/bin/env node
// Draws WireView's icon (lanes of a timeline with event glyphs, WindView-style) as PNGs into
// build/icons/<N>x<N>.png, the layout electron-builder reads for Linux. Pure Node (zlib): run
// `node build/make-icons.mjs` after changing the drawing; the PNGs are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 64, 128, 256, 512];
const BACKGROUND = [24, 32, 48];
// One row per lane; colours of the lanes' glyphs (critical → verbose).
const LANES = [
  [230, 76, 60],
  [243, 156, 18],
  [241, 196, 15],
  [46, 204, 113],
  [52, 152, 219],
];
// Glyph positions per lane, 0…1 of the width: a burst, like a handshake, then quiet.
const GLYPHS = [[0.18, 0.62], [0.3, 0.34, 0.7], [0.22, 0.5, 0.54, 0.58, 0.8], [0.12, 0.4, 0.66, 0.74], [0.2, 0.28, 0.45, 0.6, 0.72, 0.86]];

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function pixel(n, x, y) {
  const u = (x + 0.5) / n;
  const v = (y + 0.5) / n;
  // Rounded square: transparent outside a corner radius of 18 %.
  const r = 0.18;
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if (Math.hypot(u - cx, v - cy) > r) return [0, 0, 0, 0];
  const laneHeight = 0.7 / LANES.length;
  const lane = Math.floor((v - 0.15) / laneHeight);
  if (lane >= 0 && lane < LANES.length && u > 0.1 && u < 0.9) {
    const within = (v - 0.15 - lane * laneHeight) / laneHeight;
    if (within > 0.2 && within < 0.8) {
      const hit = GLYPHS[lane].some((g) => Math.abs(u - g) < 0.025);
      if (hit) return [...LANES[lane], 255];
      if (within > 0.46 && within < 0.54) return [70, 84, 110, 255]; // the lane's axis line
    }
  }
  return [...BACKGROUND, 255];
}

function png(n) {
  const raw = Buffer.alloc(n * (n * 4 + 1));
  for (let y = 0; y < n; y++) {
    raw[y * (n * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < n; x++) raw.set(pixel(n, x, y), y * (n * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(n, 0);
  header.writeUInt32BE(n, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const dir = fileURLToPath(new URL('./icons/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const n of SIZES) writeFileSync(`${dir}${n}x${n}.png`, png(n));

