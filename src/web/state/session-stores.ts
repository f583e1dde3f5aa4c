/**
 * Everything the signed-in user's screens show, in one place: the lists, and the tasks of each list
 * opened so far. Signing out drops the whole object, after `dispose` (App does both). A real-time connection feeds server changes in
 * through `lists.applyServerList/applyServerRemoval` and `peekTasks(listId)?.applyServerTask(...)`.
 */
import type { Task } from '../../core/schemas/index.js';
import type { ApiError } from '../api/client.js';
import type { TasksApi } from '../api/endpoints.js';
import { ListTasksStore, type PendingChange } from './list-tasks.store.js';
import { ListsStore, type ListsApi } from './lists.store.js';
import { OpenDrafts } from './open-drafts.js';

export interface SessionStores {
  lists: ListsStore;
  /** The store of a list's tasks, created on first use and kept so reopening a list is instant. */
  tasksOf(listId: string): ListTasksStore;
  /** The store of a list's tasks if it was opened, for feeding in changes without loading the list. */
  peekTasks(listId: string): ListTasksStore | undefined;
  /** Drafts typed in editors and not in a store yet (a task's title or notes): leaving the page saves them first. */
  drafts: OpenDrafts;
  /** Some change is not saved yet (for a "leave the page?" warning; save the open `drafts` first). */
  hasUnsavedChanges(): boolean;
  /** The connection is back: send the changes that were waiting for it now. */
  resumeWrites(): void;
  /**
   * The user signed out (or the stores are replaced for another user): every store drops its unsaved changes and
   * retry timers and sends nothing more, since a request would now carry the next user's cookie.
   */
  dispose(): void;
}

export function createSessionStores(api: TasksApi & ListsApi, onError: (error: ApiError, change?: PendingChange, task?: Task) => void): SessionStores {
  const tasks = new Map<string, ListTasksStore>();
  let disposed = false;
  function tasksOf(listId: string): ListTasksStore {
    let store = tasks.get(listId);
    if (!store) {
      store = new ListTasksStore(listId, api, { onError });
      if (disposed) store.dispose();
      tasks.set(listId, store);
    }
    return store;
  }
  // Tasks added to a list still being created wait in the lists store, which hands them over here once the list exists.
  const lists = new ListsStore(api, {
    onError,
    addTasks(listId, added) {
      const store = tasksOf(listId);
      for (const task of added) store.addTask(task);
    },
  });
  const drafts = new OpenDrafts();
  return {
    lists,
    tasksOf,
    peekTasks: (listId) => tasks.get(listId),
    drafts,
    hasUnsavedChanges: () => lists.getSnapshot().saving || [...tasks.values()].some((store) => store.getSnapshot().saving),
    resumeWrites() {
      for (const store of tasks.values()) store.retryNow();
    },
    dispose() {
      disposed = true;
      lists.dispose();
      for (const store of tasks.values()) store.dispose();
    },
  };
}
