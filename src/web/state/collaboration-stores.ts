/**
 * The signed-in user's collaboration state beside the lists and tasks stores: notifications and
 * invitations, workspaces, list members, and which task's details are open. Created once per
 * signed-in user (App), dropped on sign-out.
 */
import type { Me } from '../../core/schemas/index.js';
import type { CollaborationApi } from '../api/collaboration.js';
import { ListMembersCache } from './list-members.store.js';
import { NotificationsStore } from './notifications.store.js';
import { WorkspacesStore } from './workspaces.store.js';

export interface OpenTask {
  listId: string;
  taskId: string;
}

/**
 * Which task's details are open. Anything may open a task (its row, a notification); the open list's
 * panel shows the details when the task is one of its own.
 */
export class TaskDetailsState {
  private current: OpenTask | null = null;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): OpenTask | null => this.current;

  open(listId: string, taskId: string): void {
    this.current = { listId, taskId };
    this.emit();
  }

  close(): void {
    if (!this.current) return;
    this.current = null;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export interface CollaborationStores {
  me: Me;
  /** Call `notifications.refreshNotifications()` when the server announces a notification or invitation. */
  notifications: NotificationsStore;
  workspaces: WorkspacesStore;
  /** Call `members.invalidate(listId)` when a list's membership changed elsewhere. */
  members: ListMembersCache;
  taskDetails: TaskDetailsState;
}

export function createCollaborationStores(api: CollaborationApi, me: Me): CollaborationStores {
  return {
    me,
    notifications: new NotificationsStore(api),
    workspaces: new WorkspacesStore(api, me.user.id, me.workspaces),
    members: new ListMembersCache(api),
    taskDetails: new TaskDetailsState(),
  };
}
