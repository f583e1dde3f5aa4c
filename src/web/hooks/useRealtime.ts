import { createContext, useContext, useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { ChangeMessage, Viewer } from '../../core/realtime/protocol.js';
import type { ConnectionStatus, RealtimeClient } from '../realtime/realtime-client.js';

/** The signed-in session's real-time connection; provided next to the stores. */
export const RealtimeContext = createContext<RealtimeClient | null>(null);

function useRealtimeClient(): RealtimeClient | null {
  return useContext(RealtimeContext);
}

const noViewers: readonly Viewer[] = [];
const noop = () => () => undefined;

/** Keeps the list in step with other people's changes while the calling screen shows it. */
export function useWatchList(listId: string): void {
  const client = useRealtimeClient();
  useEffect(() => client?.watchList(listId), [client, listId]);
}

/**
 * Calls `onChange` with each change of the list, in order, while the calling component is shown. The
 * list must be watched by the screen around it (`useWatchList`), as the list screen does.
 */
export function useListChanges(listId: string, onChange: (change: ChangeMessage) => void): void {
  const client = useRealtimeClient();
  const latest = useRef(onChange);
  useLayoutEffect(() => {
    latest.current = onChange;
  });
  useEffect(() => client?.onListChange(listId, (change) => latest.current(change)), [client, listId]);
}

/**
 * Calls `onChange` with each change of any of `listIds` that the screen around watches (the open list), while the
 * calling component is shown: e.g. a team workspace's people dialog hears someone join through the open list of it.
 */
export function useChangesOfLists(listIds: readonly string[], onChange: (change: ChangeMessage) => void): void {
  const client = useRealtimeClient();
  const latest = useRef(onChange);
  useLayoutEffect(() => {
    latest.current = onChange;
  });
  const key = listIds.join(' ');
  useEffect(() => {
    if (!client || !key) return;
    const stops = key.split(' ').map((listId) => client.onListChange(listId, (change) => latest.current(change)));
    return () => {
      for (const stop of stops) stop();
    };
  }, [client, key]);
}

/** `online`, `connecting` (first connection) or `offline` (lost; reconnecting). */
export function useConnectionStatus(): ConnectionStatus {
  const client = useRealtimeClient();
  return useSyncExternalStore(client?.subscribe ?? noop, () => client?.getSnapshot().status ?? 'connecting');
}

/** The other people viewing the list now. */
export function usePresence(listId: string): readonly Viewer[] {
  const client = useRealtimeClient();
  return useSyncExternalStore(client?.subscribe ?? noop, () => client?.getSnapshot().presence.get(listId) ?? noViewers);
}
