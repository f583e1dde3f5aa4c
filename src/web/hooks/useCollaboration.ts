import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import type { CollaborationStores } from '../state/collaboration-stores.js';
import type { NotificationsSnapshot, NotificationsStore } from '../state/notifications.store.js';
import type { WorkspacesSnapshot, WorkspacesStore } from '../state/workspaces.store.js';

/** The signed-in user's collaboration stores; provided next to `StoresContext`. */
export const CollaborationContext = createContext<CollaborationStores | null>(null);

export function useCollaboration(): CollaborationStores {
  const stores = useContext(CollaborationContext);
  if (!stores) throw new Error('useCollaboration must be used below <CollaborationContext.Provider>');
  return stores;
}

/** Notifications and pending invitations; the first component to use it starts the refreshing. */
export function useNotifications(): NotificationsSnapshot & { store: NotificationsStore } {
  const { notifications: store } = useCollaboration();
  return { ...useSyncExternalStore(store.subscribe, store.getSnapshot), store };
}

/** Keeps notifications fresh (on focus, every 30 s) while mounted. */
export function useNotificationsRefresh(): void {
  const { notifications } = useCollaboration();
  useEffect(() => notifications.start(), [notifications]);
}

export function useWorkspaces(): WorkspacesSnapshot & { store: WorkspacesStore } {
  const { workspaces: store } = useCollaboration();
  return { ...useSyncExternalStore(store.subscribe, store.getSnapshot), store };
}
