/**
 * The first engine worker, started as the page's first module is evaluated (main.tsx, the small
 * entry, imports this module first): the worker loads and compiles its bundle while the app's
 * chunk is fetched and evaluated and the host answers `app.hello`, so it is ready when the file
 * arrives.
 */
import { EngineClient } from './engine-client.js';

export const firstEngine = EngineClient.start();
