/**
 * UI state of the trace view, in one zustand store: what is open, the visible time window, the
 * selected range and row, the filter, the table's sort and columns, collapsed lanes, lane
 * grouping (and the progress of a first regroup), live follow and bookmarks. Never event rows:
 * those stay in the engine worker and the UI asks for what it shows. Times are ns relative to the
 * trace's baseNs. Columns, collapsed lanes and bookmarks are kept in localStorage (when there is
 * one) across sessions.
 */
import { createStore } from 'zustand/vanilla';
import { browserStorage, readJson, writeJson, type KeyValueStorage } from './persisted.js';
import { COLUMN_KEYS, DEFAULT_COLUMNS } from './table-columns.js';

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

/** How the timeline's lanes are made: the 16 class × priority lanes, or one per process / connection. */
export type LaneGrouping = 'class' | 'process' | 'connection';

export interface Bookmark {
  readonly id: number;
  /** Relative ns. */
  readonly t: number;
  readonly label: string;
}

/** A first regroup of a big trace under way: rows assigned to their lanes so far. */
export interface RegroupProgress {
  readonly by: Exclude<LaneGrouping, 'class'>;
  readonly done: number;
  readonly total: number;
}

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
  /** Table columns shown (field keys, in table order). */
  readonly columns: readonly string[];
  /** Keys of the collapsed lanes (`lane:3` for class lanes, `process:…`/`connection:…` for groups). */
  readonly collapsed: Readonly<Record<string, true>>;
  readonly grouping: LaneGrouping;
  readonly regroup: RegroupProgress | null;
  /** While a live capture records: keep the newest events in view. */
  readonly follow: boolean;
  /** Bookmarks per trace (key: traceKey(trace)). */
  readonly bookmarks: Readonly<Record<string, readonly Bookmark[]>>;
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
  /** Shows or hides one column (the time and event columns always stay). */
  toggleColumn(key: string): void;
  toggleLane(key: string): void;
  setGrouping(grouping: LaneGrouping): void;
  /** The engine's progress assigning rows to process / connection lanes (null: done). */
  setRegroup(progress: RegroupProgress | null): void;
  setFollow(follow: boolean): void;
  /** Bookmarks the open trace at relative time `t`. */
  addBookmark(t: number, label?: string): void;
  removeBookmark(id: number): void;
  /** Centres the visible window on `t`, keeping its width. */
  centreOn(t: number): void;
}

export type ViewStore = ViewState & ViewActions;

/** Narrowest window the timeline zooms to, ns. */
export const MIN_SPAN_NS = 100;

/** The key bookmarks of a trace are kept under: its name and base time. */
export function traceKey(trace: OpenTrace): string {
  return `${trace.name}@${trace.baseNs}`;
}

const NO_BOOKMARKS: readonly Bookmark[] = [];

/** Bookmarks of the open trace, oldest time first (the same array while they do not change). */
export function currentBookmarks(s: ViewState): readonly Bookmark[] {
  return (s.trace && s.bookmarks[traceKey(s.trace)]) || NO_BOOKMARKS;
}

const COLUMNS_ITEM = 'wireview.table.columns';
const COLLAPSED_ITEM = 'wireview.timeline.collapsed';
/** Most collapsed lanes remembered (the newest are kept), and the longest key kept. */
export const COLLAPSED_KEPT = 200;
const LANE_KEY_MAX = 200;
const BOOKMARKS_ITEM = 'wireview.bookmarks';

function storedColumns(storage: KeyValueStorage | undefined): readonly string[] {
  const v = readJson(storage, COLUMNS_ITEM);
  if (!Array.isArray(v)) return DEFAULT_COLUMNS;
  const wanted = new Set(v.filter((k): k is string => typeof k === 'string'));
  const columns = COLUMN_KEYS.filter((k) => wanted.has(k));
  return columns.length > 0 ? columns : DEFAULT_COLUMNS;
}

function storedCollapsed(storage: KeyValueStorage | undefined): Record<string, true> {
  const v = readJson(storage, COLLAPSED_ITEM);
  const out: Record<string, true> = {};
  if (!Array.isArray(v)) return out;
  for (const k of v.slice(-COLLAPSED_KEPT)) if (typeof k === 'string' && k.length > 0 && k.length <= LANE_KEY_MAX) out[k] = true;
  return out;
}

function storedBookmarks(storage: KeyValueStorage | undefined): Record<string, Bookmark[]> {
  const v = readJson(storage, BOOKMARKS_ITEM);
  if (v === null || typeof v !== 'object') return {};
  const out: Record<string, Bookmark[]> = {};
  for (const [key, list] of Object.entries(v as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const ok = list.filter((b): b is Bookmark => b !== null && typeof b === 'object' && Number.isFinite((b as Bookmark).id) && Number.isFinite((b as Bookmark).t) && typeof (b as Bookmark).label === 'string');
    if (ok.length > 0) out[key] = ok;
  }
  return out;
}

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

/**
 * A newer state of the same trace (a live capture growing): the window stays where the user put
 * it, or with `follow` slides to the newest events — the whole trace while the user has not
 * zoomed into part of it, else the same width ending at the newest event.
 */
function grownWindow(s: ViewState, prev: OpenTrace, next: OpenTrace): TimeWindow {
  if (!s.follow) return s.viewport;
  const { t0, t1 } = s.viewport;
  if (t0 <= prev.firstTs && t1 >= prev.lastTs) return fullWindow(next);
  const span = t1 - t0;
  return { t0: next.lastTs + span * 0.02 - span, t1: next.lastTs + span * 0.02 };
}

const sameTrace = (a: OpenTrace | null, b: OpenTrace): a is OpenTrace => a !== null && a.name === b.name && a.baseNs === b.baseNs && b.rowCount >= a.rowCount;

export function createViewStore(theme: Theme, storage: KeyValueStorage | undefined = browserStorage()) {
  let nextBookmark = 1;
  const bookmarks = storedBookmarks(storage);
  for (const list of Object.values(bookmarks)) for (const b of list) nextBookmark = Math.max(nextBookmark, b.id + 1);
  const setBookmarks = (all: Record<string, readonly Bookmark[]>): Record<string, readonly Bookmark[]> => {
    writeJson(storage, BOOKMARKS_ITEM, all);
    return all;
  };
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
    columns: storedColumns(storage),
    collapsed: storedCollapsed(storage),
    grouping: 'class',
    regroup: null,
    follow: true,
    bookmarks,
    startLoading: (name, total) => set({ loading: { name, done: 0, total }, loadError: null, trace: null, selection: null, selectedRow: null }),
    progress: (done) => {
      const loading = get().loading;
      if (loading) set({ loading: { ...loading, done } });
    },
    loaded: (trace) => {
      const s = get();
      if (s.loading === null && sameTrace(s.trace, trace)) set({ trace, viewport: clampWindow(grownWindow(s, s.trace, trace), trace) });
      else set({ trace, loading: null, viewport: fullWindow(trace) });
    },
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
      // Moving away from the newest events ends live follow (the Follow button brings it back).
      set({ viewport: { t0: t0 + d, t1: t1 + d }, follow: false });
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
    toggleColumn: (key) => {
      if (!COLUMN_KEYS.includes(key) || key === 'time' || key === 'event') return;
      const shown = new Set(get().columns);
      if (shown.has(key)) shown.delete(key);
      else shown.add(key);
      const columns = COLUMN_KEYS.filter((k) => shown.has(k));
      writeJson(storage, COLUMNS_ITEM, columns);
      const sort = get().sort;
      set({ columns, sort: sort && !shown.has(sort.field) ? null : sort });
    },
    toggleLane: (key) => {
      if (key.length === 0 || key.length > LANE_KEY_MAX) return;
      const collapsed = { ...get().collapsed };
      if (collapsed[key]) delete collapsed[key];
      else collapsed[key] = true;
      // Insertion order is kept: the oldest collapsed lanes are forgotten first.
      const keys = Object.keys(collapsed);
      for (const old of keys.slice(0, Math.max(0, keys.length - COLLAPSED_KEPT))) delete collapsed[old];
      writeJson(storage, COLLAPSED_ITEM, Object.keys(collapsed));
      set({ collapsed });
    },
    setGrouping: (grouping) => set({ grouping }),
    setRegroup: (regroup) => set({ regroup }),
    setFollow: (follow) => {
      const s = get();
      if (!follow || !s.trace) return set({ follow });
      const span = s.viewport.t1 - s.viewport.t0;
      set({ follow, viewport: clampWindow({ t0: s.trace.lastTs + span * 0.02 - span, t1: s.trace.lastTs + span * 0.02 }, s.trace) });
    },
    addBookmark: (t, label) => {
      const trace = get().trace;
      if (!trace || !Number.isFinite(t)) return;
      const key = traceKey(trace);
      const list = [...(get().bookmarks[key] ?? []), { id: nextBookmark++, t, label: label ?? `Bookmark ${nextBookmark - 1}` }].sort((a, b) => a.t - b.t);
      set({ bookmarks: setBookmarks({ ...get().bookmarks, [key]: list }) });
    },
    removeBookmark: (id) => {
      const trace = get().trace;
      if (!trace) return;
      const key = traceKey(trace);
      const all: Record<string, readonly Bookmark[]> = { ...get().bookmarks, [key]: (get().bookmarks[key] ?? []).filter((b) => b.id !== id) };
      if (all[key]!.length === 0) delete all[key];
      set({ bookmarks: setBookmarks(all) });
    },
    centreOn: (t) => {
      const { t0, t1 } = get().viewport;
      const half = (t1 - t0) / 2;
      set({ viewport: clampWindow({ t0: t - half, t1: t + half }, get().trace), follow: false });
    },
  }));
}

export type ViewStoreApi = ReturnType<typeof createViewStore>;
