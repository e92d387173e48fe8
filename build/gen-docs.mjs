#!/usr/bin/env node
// Writes docs/events.md from the compiled catalog (run `npm run build` first; `npm run gen` does both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEventsDoc } from '../dist/renderer/engine/model/generate-docs.js';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });
writeFileSync(`${docs}events.md`, renderEventsDoc());
console.log('gen-docs: wrote docs/events.md');
