/**
 * Recent filter expressions, newest first, de-duplicated (an expression used again moves to the
 * top), at most HISTORY_SIZE, kept in localStorage when there is one.
 */
import { createStore } from 'zustand/vanilla';
import { browserStorage, readJson, writeJson, type KeyValueStorage } from './persisted.js';

export const HISTORY_SIZE = 20;
const ITEM = 'wireview.filter.history';

export interface FilterHistory {
  readonly entries: readonly string[];
  /** Records an applied expression (blank ones are not kept). */
  remember(expression: string): void;
  forget(expression: string): void;
}

function stored(storage: KeyValueStorage | undefined): string[] {
  const v = readJson(storage, ITEM);
  return Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string' && x.trim() !== ''))].slice(0, HISTORY_SIZE) : [];
}

export function createFilterHistory(storage: KeyValueStorage | undefined = browserStorage()) {
  const save = (entries: readonly string[]): readonly string[] => {
    writeJson(storage, ITEM, entries);
    return entries;
  };
  return createStore<FilterHistory>()((set, get) => ({
    entries: stored(storage),
    remember: (expression) => {
      const e = expression.trim();
      if (e === '') return;
      set({ entries: save([e, ...get().entries.filter((x) => x !== e)].slice(0, HISTORY_SIZE)) });
    },
    forget: (expression) => set({ entries: save(get().entries.filter((x) => x !== expression)) }),
  }));
}

export type FilterHistoryApi = ReturnType<typeof createFilterHistory>;
