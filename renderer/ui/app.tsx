/** The trace view: header (open, filter, theme), timeline, event table with details, status bar. */
import { useEffect, useRef, type ChangeEvent, type JSX, type ReactNode } from 'react';
import { DetailsPane } from './details/details-pane.js';
import { FilterBar } from './filter/filter-bar.js';
import { MainViews } from './flows/main-views.js';
import { EventTable } from './table/event-table.js';
import { Timeline } from './timeline/timeline.js';
import { useServices, useView } from './app-context.js';

const BYTES = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function LoadStatus(): JSX.Element | null {
  const loading = useView((s) => s.loading);
  const error = useView((s) => s.loadError);
  const trace = useView((s) => s.trace);
  if (error) {
    return (
      <div className="status-bar error" role="alert">
        {error}
      </div>
    );
  }
  if (loading) {
    const pct = loading.total > 0 ? Math.min(100, (loading.done / loading.total) * 100) : 0;
    return (
      <div className="status-bar">
        <span>Opening {loading.name}…</span>
        <progress max={100} value={pct} aria-label={`Opening ${loading.name}`} />
        <span>{BYTES.format(loading.done / 1048576)} MiB</span>
      </div>
    );
  }
  return trace ? <div className="status-bar">{`${trace.name}: ${new Intl.NumberFormat('en-US').format(trace.rowCount)} events`}</div> : null;
}

export interface AppProps {
  /** Opens a file the user picked (a fresh engine per trace). */
  readonly onOpenFile: (file: File) => void;
  /** Host-specific controls for the header (the capture bar where the host captures). */
  readonly toolbar?: ReactNode;
  /** Shown under the header (capture errors, the capture dialog). */
  readonly notices?: ReactNode;
  /** Shown while nothing is open or loading (the welcome screen). */
  readonly welcome?: ReactNode;
}

export function App({ onOpenFile, toolbar, notices, welcome }: AppProps): JSX.Element {
  const { view } = useServices();
  const theme = useView((s) => s.theme);
  const trace = useView((s) => s.trace);
  const loading = useView((s) => s.loading);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = trace ? `${trace.name} — WireView` : 'WireView';
  }, [trace]);

  const onPick = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    if (file) onOpenFile(file);
    e.target.value = '';
  };

  return (
    <div
      className="app"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const file = e.dataTransfer.files[0];
        if (file) onOpenFile(file);
      }}
    >
      <header className="app-header">
        <h1>WireView</h1>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open file…
        </button>
        <input ref={fileInput} type="file" hidden aria-label="Trace file to open" onChange={onPick} />
        {toolbar}
        <FilterBar />
        <button
          type="button"
          className="theme-toggle"
          aria-label={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}
          onClick={() => view.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      {notices}
      {!trace && !loading && welcome}
      <main className="views">
        <MainViews timeline={<Timeline />} />
        <div className="lower">
          <EventTable />
          <DetailsPane />
        </div>
      </main>
      <LoadStatus />
    </div>
  );
}
