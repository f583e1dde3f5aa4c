/**
 * In-process fan-out of committed changes. Services publish here only after their transaction commits;
 * the WebSocket layer (and, with Redis, other nodes) listen.
 */
import type { ActivityType } from '../../core/activity.js';

export interface ListChange {
  eventId: string;
  workspaceId: string;
  listId: string;
  version: number;
  type: ActivityType;
  actorId: string | null;
  taskId: string | null;
  mutationId: string | null;
  at: string;
  data: unknown;
}

/** Messages on a user's own channel: sharing, invitations, notifications, session end. */
export interface UserEvent {
  userId: string;
  type: string;
  data: unknown;
}

export interface ChangeBus {
  publishListChange(change: ListChange): void;
  publishUserEvent(event: UserEvent): void;
  onListChange(listener: (change: ListChange) => void): () => void;
  onUserEvent(listener: (event: UserEvent) => void): () => void;
}

export function createLocalChangeBus(): ChangeBus {
  const listChangeListeners = new Set<(change: ListChange) => void>();
  const userListeners = new Set<(event: UserEvent) => void>();
  return {
    publishListChange(change) {
      for (const listener of listChangeListeners) listener(change);
    },
    publishUserEvent(event) {
      for (const listener of userListeners) listener(event);
    },
    onListChange(listener) {
      listChangeListeners.add(listener);
      return () => listChangeListeners.delete(listener);
    },
    onUserEvent(listener) {
      userListeners.add(listener);
      return () => userListeners.delete(listener);
    },
  };
}
