import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Member } from '../../core/schemas/index.js';
import type { ListMembersSnapshot, ListMembersStore } from '../state/list-members.store.js';
import { useCollaboration } from './useCollaboration.js';

export interface ListMembers extends ListMembersSnapshot {
  store: ListMembersStore;
  byId: ReadonlyMap<string, Member>;
}

/** The members of a list (loaded on first use, shared by every component that names people). */
export function useListMembers(listId: string): ListMembers {
  const { members: cache } = useCollaboration();
  const store = useMemo(() => cache.of(listId), [cache, listId]);
  useEffect(() => {
    if (!listId.startsWith('local:')) void store.ensureLoaded();
  }, [store, listId]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const byId = useMemo(() => new Map(snapshot.members.map((member) => [member.userId, member])), [snapshot.members]);
  return { ...snapshot, store, byId };
}
