/** What every view needs: the engine worker, the host's services and the UI state store. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { HostApi } from '../../electron/ipc/contract.js';
import type { ViewStore, ViewStoreApi } from '../state/view-store.js';
import type { EngineClient } from './engine-client.js';

export interface AppServices {
  readonly engine: EngineClient;
  readonly host: HostApi | null;
  readonly view: ViewStoreApi;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppContext is not provided');
  return services;
}

/** A slice of the view store; the component re-renders when the slice changes. */
export function useView<T>(selector: (state: ViewStore) => T): T {
  return useStore(useServices().view, selector);
}
