import { useEffect, useSyncExternalStore } from 'react';
import type { ListsSnapshot, ListsStore } from '../state/lists.store.js';
import { useStores } from './useStores.js';

/** The user's lists (loaded on first use) and the store that changes them. */
export function useLists(): ListsSnapshot & { store: ListsStore } {
  const { lists: store } = useStores();
  useEffect(() => {
    void store.load();
  }, [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { ...snapshot, store };
}
