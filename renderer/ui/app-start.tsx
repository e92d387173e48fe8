/**
 * The app, loaded by the renderer's entry (main.tsx) once that has started the first engine
 * worker and the connection to the host: asks the host for the file it was started with, starts
 * reading that into the worker, and only then mounts React: the file is read and imported while
 * the page mounts. Each trace opened later gets a fresh worker.
 */
import { firstEngine } from './first-engine.js';
import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import type { OpenedFile, ReplyOf } from '../../electron/ipc/contract.js';
import { createCaptureStore } from '../state/capture-store.js';
import { createViewStore } from '../state/view-store.js';
import { App } from './app.js';
import { CaptureBar, CaptureError } from './capture/capture-bar.js';
import { CaptureController } from './capture/capture-controller.js';
import { CaptureOptionsDialog } from './capture/capture-options-dialog.js';
import { LIVE_TRACE_NAME } from './capture/live-capture.js';
import { FileActionStatus } from './files/file-action-status.js';
import { SaveControl } from './files/save-control.js';
import { Welcome } from './welcome/welcome.js';
import { AppContext, type AppServices } from './app-context.js';
import { EngineClient } from './engine-client.js';
import type { Host } from './host-connect.js';
import { importFromHost, importLocalFile } from './open-trace.js';

const capture = createCaptureStore(window.localStorage);
const view = createViewStore(window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
// Applied in the store's own subscription (registered first), so that the CSS variables have
// changed before the timeline's subscription repaints the canvas with them.
document.documentElement.dataset.theme = view.getState().theme;
view.subscribe((s) => {
  document.documentElement.dataset.theme = s.theme;
});

/** Save / Export in the browser host, for what it can re-read: its file, or a stopped capture. */
function SaveSlot({ fromHost }: { fromHost: boolean }): JSX.Element | null {
  const trace = useStore(view, (s) => s.trace);
  const captureState = useStore(capture, (s) => s.status?.state);
  if (!trace) return null;
  const live = trace.name === LIVE_TRACE_NAME;
  if (live ? captureState !== 'stopped' : !fromHost) return null;
  return <SaveControl source={live ? 'capture' : 'file'} onError={(m) => view.getState().failed(m)} />;
}

/** `hostFile`: whether the host had a file to open (it resolves once `app.hello` answered). */
function Root({ host, hostFile }: { host: Host | null; hostFile: Promise<boolean> }): JSX.Element {
  const [engine, setEngine] = useState(firstEngine);
  const services = useMemo<AppServices>(() => ({ engine, host, view }), [engine, host]);
  const engineRef = useRef(engine);
  engineRef.current = engine;

  /** Stops the current engine and starts a fresh one (each trace, and each capture, gets its own). */
  const freshEngine = useCallback(() => {
    engineRef.current.terminate();
    const fresh = EngineClient.start();
    engineRef.current = fresh;
    setEngine(fresh);
    return fresh;
  }, []);
  const controller = useMemo(() => (host ? new CaptureController(host, view, capture, freshEngine) : null), [host, freshEngine]);

  // Whether the open file is one the host serves (it can convert it for Save) or one read in the page.
  const [fromHost, setFromHost] = useState(false);
  useEffect(() => {
    void hostFile.then((opened) => opened && setFromHost(true));
  }, [hostFile]);
  const openFile = useCallback(
    (file: File) => {
      userOpened = true;
      setFromHost(false);
      void importLocalFile(freshEngine(), view, file);
    },
    [freshEngine],
  );
  const openHostFile = useCallback(
    (file: OpenedFile) => {
      userOpened = true;
      setFromHost(true);
      void importFromHost(freshEngine(), view, file);
    },
    [freshEngine],
  );

  // Electron: files opened from the native menus, and the menu commands the page carries out.
  useEffect(() => {
    if (!host) return;
    const offOpen = host.onDidOpenFile(openHostFile);
    const offCommand = host.onDidRequestCommand(({ command }) => {
      const state = view.getState();
      if (command === 'view.zoomIn') state.zoom(0.5, 0.5);
      else if (command === 'view.zoomOut') state.zoom(2, 0.5);
      else if (command === 'view.toggleTheme') state.setTheme(state.theme === 'dark' ? 'light' : 'dark');
      else if (command === 'capture.start') void controller?.start();
      else if (command === 'capture.pause') void controller?.togglePause();
      else if (command === 'capture.stop') void controller?.stop();
      else if (command === 'capture.options') controller?.openOptions();
    });
    const offFail = host.onDidFail(({ message }) => view.getState().failed(message));
    return () => {
      offOpen();
      offCommand();
      offFail();
    };
  }, [host, openHostFile, controller]);

  return (
    <AppContext.Provider value={services}>
      <App
        onOpenFile={openFile}
        toolbar={
          <>
            {controller && <CaptureBar controller={controller} />}
            {host?.kind === 'browser' && <SaveSlot fromHost={fromHost} />}
          </>
        }
        notices={
          host ? (
            <>
              {controller && <CaptureError controller={controller} />}
              {controller && <CaptureOptionsDialog controller={controller} />}
              <FileActionStatus host={host} />
            </>
          ) : null
        }
        welcome={<Welcome host={host} capture={controller} onOpenFile={openFile} onOpenHostFile={openHostFile} onError={(m) => view.getState().failed(m)} />}
      />
    </AppContext.Provider>
  );
}

/** Longest wait for `app.hello` before React mounts anyway (the file still opens when it answers). */
const HELLO_WAIT_MS = 2000;

/** Set once the user opened something: a late `app.hello` then opens nothing. */
let userOpened = false;

/** Opens the host's file (`hello`: its answer to `app.hello`) in the first engine; true when there is one. */
async function openHostFile(hello: Promise<ReplyOf<'app.hello'>>): Promise<boolean> {
  const { file } = await hello;
  if (userOpened || !file) return false;
  void importFromHost(firstEngine, view, file);
  return true;
}

/** Runs the app with what main.tsx started: `connecting` to the host, and its answer to `app.hello`. */
export async function startApp(connecting: Promise<Host>, hello: Promise<ReplyOf<'app.hello'>>): Promise<void> {
  let host: Host | null = null;
  let hostFile: Promise<boolean> = Promise.resolve(false);
  try {
    host = await connecting;
    // The host's file (if any) goes to the first engine before React mounts (the worker reads it meanwhile).
    hostFile = openHostFile(hello).catch((e: Error) => {
      view.getState().failed(e.message);
      return false;
    });
    await Promise.race([hostFile, new Promise((wait) => setTimeout(wait, HELLO_WAIT_MS))]);
  } catch (e) {
    view.getState().failed((e as Error).message);
  }
  // The token has done its work (the host set its cookie): keep it out of history and screenshots.
  if (new URLSearchParams(window.location.search).has('token')) window.history.replaceState(null, '', window.location.pathname);
  createRoot(document.getElementById('root')!).render(<Root host={host} hostFile={hostFile} />);
}

