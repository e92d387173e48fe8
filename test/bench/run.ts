/**
 * `npm run bench`: import vs tshark on a generated 1M-packet pcap, then filter, LOD and memory on
 * 10M synthetic events, then live capture costs (root). Figures are printed with their targets and ratios against a baseline run
 * in the same process. Sizes can be reduced for a quick look: `npm run bench -- --small`.
 */
import { spawnSync } from 'node:child_process';
import { captureBench } from './capture-bench.js';
import { engineBench } from './engine-bench.js';
import { importBench } from './import-bench.js';

const small = process.argv.includes('--small');
const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
console.log(`WireView benchmarks (node ${process.version}, ${small ? 'small' : 'full'} sizes)`);
importBench(small ? 100_000 : 1_000_000, hasTshark);
engineBench(small ? 1_000_000 : 10_000_000);
if (!process.argv.includes('--no-capture')) await captureBench();
