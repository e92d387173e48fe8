/**
 * The renderer's entry, kept small so that it runs as soon as the page starts: it starts the
 * first engine worker (first-engine.ts), connects to the host and asks it for its file
 * (`app.hello`), then loads the rest of the app (app-start.tsx, a separate chunk): the worker
 * loads and compiles its bundle, and the host answers, while the app's chunk is fetched and
 * evaluated.
 */
import './first-engine.js';
import { connectHost } from './host-connect.js';

const connecting = connectHost(window);
// Which file the host was started with, asked at once (the app opens it in the first engine).
const hello = connecting.then((host) => host.call('app.hello', {}));
// The app reports these failures once it has loaded; until then they are not unhandled rejections.
connecting.catch(() => undefined);
hello.catch(() => undefined);
void import('./app-start.js').then(
  ({ startApp }) => startApp(connecting, hello),
  (e: Error) => {
    document.body.textContent = `WireView could not load: ${e.message}`;
  },
);
