/**
 * The first engine worker, started as the page's script begins to run: main.tsx imports this
 * module first, so the worker loads while React and the rest of the bundle are still being
 * evaluated and the host is being asked for its file.
 */
import { EngineClient } from './engine-client.js';

export const firstEngine = EngineClient.start();
