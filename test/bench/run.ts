/**
 * `npm run bench`: import vs tshark on a generated 1M-packet pcap, then filter, LOD and memory on
 * 10M synthetic events, flow building over 10M events, then live capture costs (root), then the UI in headless Chromium
 * (first paint of 1M events, pan/zoom frame times and renderer memory with 10M). Figures are printed with their targets and ratios against a baseline run
 * in the same process. Sizes can be reduced for a quick look: `npm run bench -- --small`.
 */
import { spawnSync } from 'node:child_process';
import { captureBench } from './capture-bench.js';
import { engineBench } from './engine-bench.js';
import { flowsBench } from './flows-bench.js';
import { importBench } from './import-bench.js';
import { uiBench } from './ui-bench.js';

const small = process.argv.includes('--small');
const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
console.log(`WireView benchmarks (node ${process.version}, ${small ? 'small' : 'full'} sizes)`);
importBench(small ? 100_000 : 1_000_000, hasTshark);
engineBench(small ? 1_000_000 : 10_000_000);
flowsBench(small ? 1_000_000 : 10_000_000);
if (!process.argv.includes('--no-capture')) await captureBench();
if (!process.argv.includes('--no-ui')) await uiBench(1_000_000, small ? 1_000_000 : 10_000_000);
