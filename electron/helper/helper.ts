#!/usr/bin/env node
// Entry of the privileged capture helper (see helper-main.ts).
import { main } from './helper-main.js';

void main();
