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

/** Who is viewing a list on one node; nodes share theirs so presence spans the cluster. */
export interface PresenceUpdate {
  nodeId: string;
  listId: string;
  viewers: { userId: string; name: string }[];
}

export interface ChangeBus {
  publishListChange(change: ListChange): void;
  publishUserEvent(event: UserEvent): void;
  publishPresence(update: PresenceUpdate): void;
  onListChange(listener: (change: ListChange) => void): () => void;
  onUserEvent(listener: (event: UserEvent) => void): () => void;
  onPresence(listener: (update: PresenceUpdate) => void): () => void;
  /** Called when the link to other nodes comes back after an outage: time to catch up from the database. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/** A set of listeners; `emit` isolates them from each other's exceptions. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(value: T): void {
    for (const listener of this.set) {
      try {
        listener(value);
      } catch {
        // one failing listener must not starve the others
      }
    }
  }
}

/** One node: changes go straight to this process's listeners. */
export function createLocalChangeBus(): ChangeBus {
  const changes = new Listeners<ListChange>();
  const users = new Listeners<UserEvent>();
  const presence = new Listeners<PresenceUpdate>();
  return {
    publishListChange: (change) => changes.emit(change),
    publishUserEvent: (event) => users.emit(event),
    publishPresence: () => {}, // a single node has no peers to tell
    onListChange: (listener) => changes.add(listener),
    onUserEvent: (listener) => users.add(listener),
    onPresence: (listener) => presence.add(listener),
    onReconnect: () => () => {},
    close: async () => {},
  };
}
