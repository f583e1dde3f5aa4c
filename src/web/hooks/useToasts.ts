import { useSyncExternalStore } from 'react';
import { toastStore, type Toast } from '../state/toasts.store.js';

/** The toasts on screen. Show one from anywhere with `toastStore.show(...)`. */
export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(toastStore.subscribe, toastStore.getSnapshot);
}
