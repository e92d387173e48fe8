/**
 * The renderer's entry: connects to the host (Electron's preload bridge, or the browser host's
 * WebSocket), starts an engine worker, and opens the file the host was started with. Each opened
 * trace gets a fresh worker.
 */
import { useCallback, useEffect, useMemo, useState, type JSX } from 'react';
import { createRoot } from 'react-dom/client';
import { createViewStore } from '../state/view-store.js';
import { App } from './app.js';
import { CaptureBar } from './capture/capture-bar.js';
import { AppContext, type AppServices } from './app-context.js';
import { EngineClient } from './engine-client.js';
import { connectHost, type Host } from './host-connect.js';
import { importFromHost, importLocalFile } from './open-trace.js';

const view = createViewStore(window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
// Applied in the store's own subscription (registered first), so that the CSS variables have
// changed before the timeline's subscription repaints the canvas with them.
document.documentElement.dataset.theme = view.getState().theme;
view.subscribe((s) => {
  document.documentElement.dataset.theme = s.theme;
});

function Root({ host }: { host: Host | null }): JSX.Element {
  const [engine, setEngine] = useState(() => EngineClient.start());
  const services = useMemo<AppServices>(() => ({ engine, host, view }), [engine, host]);
  const [captures, setCaptures] = useState(false);

  useEffect(() => {
    if (!host) return;
    void host.call('app.hello', {}).then(
      (hello) => {
        // Live capture runs through the browser host (Electron's capture UI is not built yet).
        setCaptures(hello.host === 'browser');
        if (hello.file) void importFromHost(engine, view, hello.file);
      },
      (e: Error) => view.getState().failed(e.message),
    );
    // Only the first engine opens the host's file; later ones open what the user picks.
  }, [host]);

  const openFile = useCallback(
    (file: File) => {
      engine.terminate();
      const fresh = EngineClient.start();
      setEngine(fresh);
      void importLocalFile(fresh, view, file);
    },
    [engine],
  );

  // Electron: files opened from the native menus, and the menu commands the page carries out.
  useEffect(() => {
    if (!host) return;
    const offOpen = host.onDidOpenFile((file) => {
      engine.terminate();
      const fresh = EngineClient.start();
      setEngine(fresh);
      void importFromHost(fresh, view, file);
    });
    const offCommand = host.onDidRequestCommand(({ command }) => {
      const state = view.getState();
      if (command === 'view.zoomIn') state.zoom(0.5, 0.5);
      else if (command === 'view.zoomOut') state.zoom(2, 0.5);
      else if (command === 'view.toggleTheme') state.setTheme(state.theme === 'dark' ? 'light' : 'dark');
      // capture.* wait for the capture UI.
    });
    const offFail = host.onDidFail(({ message }) => view.getState().failed(message));
    return () => {
      offOpen();
      offCommand();
      offFail();
    };
  }, [host, engine]);

  const freshEngine = useCallback(() => {
    engine.terminate();
    const fresh = EngineClient.start();
    setEngine(fresh);
    return fresh;
  }, [engine]);

  return (
    <AppContext.Provider value={services}>
      <App onOpenFile={openFile} toolbar={host && captures ? <CaptureBar host={host} view={view} freshEngine={freshEngine} /> : null} />
    </AppContext.Provider>
  );
}

async function main(): Promise<void> {
  let host: Host | null = null;
  try {
    host = await connectHost(window);
  } catch (e) {
    view.getState().failed((e as Error).message);
  }
  // The token has done its work (the host set its cookie): keep it out of history and screenshots.
  if (new URLSearchParams(window.location.search).has('token')) window.history.replaceState(null, '', window.location.pathname);
  createRoot(document.getElementById('root')!).render(<Root host={host} />);
}

void main();
