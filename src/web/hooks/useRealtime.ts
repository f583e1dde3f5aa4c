import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import type { Viewer } from '../../core/realtime/protocol.js';
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
