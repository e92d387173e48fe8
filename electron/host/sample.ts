/**
 * The sample trace shipped with the app (build/sample/, recorded from real traffic by
 * build/record-sample.mjs): a first-time user opens it from the welcome screen and sees WireView
 * working before granting any privileges. Compiled into dist/electron/host: the root is three up.
 */
import { fileURLToPath } from 'node:url';

export const SAMPLE_NAME = 'wireview-sample.arrows';
export const SAMPLE_TRACE = fileURLToPath(new URL(`../../../build/sample/${SAMPLE_NAME}`, import.meta.url));
