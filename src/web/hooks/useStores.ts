import { createContext, useContext } from 'react';
import type { SessionStores } from '../state/session-stores.js';

/** The signed-in user's stores; provided by the signed-in screen. */
export const StoresContext = createContext<SessionStores | null>(null);

export function useStores(): SessionStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores must be used below <StoresContext.Provider>');
  return stores;
}
