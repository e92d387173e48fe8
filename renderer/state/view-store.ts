/**
 * UI state of the trace view, in one zustand store: what is open, the visible time window, the
 * selected range and row, the filter and the table's sort. Never event rows: those stay in the
 * engine worker and the UI asks for what it shows. Times are ns relative to the trace's baseNs.
 */
import { createStore } from 'zustand/vanilla';

/** A time window [t0, t1), relative ns. */
export interface TimeWindow {
  readonly t0: number;
  readonly t1: number;
}

export interface OpenTrace {
  readonly name: string;
  readonly rowCount: number;
  /** Absolute ns that relative times count from. */
  readonly baseNs: bigint;
  /** Add to an absolute ts to get ns since the Unix epoch. */
  readonly wallOffsetNs: bigint;
  /** Relative ts of the first and last event (the whole trace). */
  readonly firstTs: number;
  readonly lastTs: number;
}

export interface LoadProgress {
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

export interface FilterProblem {
  readonly message: string;
  /** 1-based column of the mistake. */
  readonly column: number;
}

export interface SortOrder {
  readonly field: string;
  readonly descending: boolean;
}

export type Theme = 'light' | 'dark';

export interface ViewState {
  readonly trace: OpenTrace | null;
  readonly loading: LoadProgress | null;
  readonly loadError: string | null;
  readonly viewport: TimeWindow;
  readonly selection: TimeWindow | null;
  /** The filter the views apply (only ever one that parsed). */
  readonly filter: string;
  readonly filterProblem: FilterProblem | null;
  readonly selectedRow: number | null;
  readonly sort: SortOrder | null;
  readonly theme: Theme;
}

export interface ViewActions {
  startLoading(name: string, total: number): void;
  progress(done: number): void;
  loaded(trace: OpenTrace): void;
  failed(message: string): void;
  setViewport(window: TimeWindow): void;
  /** Zooms by `factor` (< 1 zooms in) keeping the time at `anchor` (0…1 of the width) in place. */
  zoom(factor: number, anchor: number): void;
  /** Pans by `fraction` of the visible width (negative: earlier). */
  pan(fraction: number): void;
  select(window: TimeWindow | null): void;
  applyFilter(filter: string): void;
  setFilterProblem(problem: FilterProblem | null): void;
  selectRow(row: number | null): void;
  sortBy(field: string): void;
  setTheme(theme: Theme): void;
}

export type ViewStore = ViewState & ViewActions;

/** Narrowest window the timeline zooms to, ns. */
export const MIN_SPAN_NS = 100;

function fullWindow(trace: OpenTrace): TimeWindow {
  const span = Math.max(trace.lastTs - trace.firstTs, MIN_SPAN_NS);
  const pad = span * 0.02;
  return { t0: trace.firstTs - pad, t1: trace.firstTs + span + pad };
}

/** Keeps a window no narrower than MIN_SPAN_NS and no wider than a few times the trace. */
function clampWindow(w: TimeWindow, trace: OpenTrace | null): TimeWindow {
  let { t0, t1 } = w;
  if (t1 - t0 < MIN_SPAN_NS) {
    const mid = (t0 + t1) / 2;
    t0 = mid - MIN_SPAN_NS / 2;
    t1 = mid + MIN_SPAN_NS / 2;
  }
  if (trace) {
    const full = fullWindow(trace);
    const maxSpan = (full.t1 - full.t0) * 4;
    if (t1 - t0 > maxSpan) {
      const mid = (t0 + t1) / 2;
      t0 = mid - maxSpan / 2;
      t1 = mid + maxSpan / 2;
    }
  }
  return { t0, t1 };
}

export function createViewStore(theme: Theme) {
  return createStore<ViewStore>()((set, get) => ({
    trace: null,
    loading: null,
    loadError: null,
    viewport: { t0: 0, t1: 1e9 },
    selection: null,
    filter: '',
    filterProblem: null,
    selectedRow: null,
    sort: null,
    theme,
    startLoading: (name, total) => set({ loading: { name, done: 0, total }, loadError: null, trace: null, selection: null, selectedRow: null }),
    progress: (done) => {
      const loading = get().loading;
      if (loading) set({ loading: { ...loading, done } });
    },
    loaded: (trace) => set({ trace, loading: null, viewport: fullWindow(trace) }),
    failed: (message) => set({ loading: null, loadError: message }),
    setViewport: (window) => set({ viewport: clampWindow(window, get().trace) }),
    zoom: (factor, anchor) => {
      const { t0, t1 } = get().viewport;
      const at = t0 + (t1 - t0) * anchor;
      set({ viewport: clampWindow({ t0: at - (at - t0) * factor, t1: at + (t1 - at) * factor }, get().trace) });
    },
    pan: (fraction) => {
      const { t0, t1 } = get().viewport;
      const d = (t1 - t0) * fraction;
      set({ viewport: { t0: t0 + d, t1: t1 + d } });
    },
    select: (window) => set({ selection: window && window.t1 > window.t0 ? window : null, selectedRow: null }),
    applyFilter: (filter) => set({ filter, filterProblem: null, selectedRow: null }),
    setFilterProblem: (filterProblem) => set({ filterProblem }),
    selectRow: (selectedRow) => set({ selectedRow }),
    sortBy: (field) => {
      const sort = get().sort;
      if (sort?.field !== field) set({ sort: { field, descending: false } });
      else if (!sort.descending) set({ sort: { field, descending: true } });
      else set({ sort: null });
    },
    setTheme: (theme) => set({ theme }),
  }));
}

export type ViewStoreApi = ReturnType<typeof createViewStore>;
