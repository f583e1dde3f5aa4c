import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Task } from '../../core/schemas/index.js';
import { truncate } from '../../core/text.js';
import type { ListTasksSnapshot, NewTask, TaskChanges, TaskPlacement } from '../state/list-tasks.store.js';
import { toastStore } from '../state/toasts.store.js';
import { useStores } from './useStores.js';

export interface ListTasks extends ListTasksSnapshot {
  addTask(task: NewTask): string;
  /** `onAnswer`: told the server's answer (see `ListTasksStore.updateTask`). */
  updateTask(taskId: string, changes: TaskChanges, onAnswer?: (task: Task) => void): void;
  moveTask(taskId: string, placement: TaskPlacement): void;
  /** Moves by `offset` places (-1: up one); false when already at that end. */
  moveTaskBy(taskId: string, offset: number): boolean;
  /** Deletes to the trash and offers Undo in a toast. */
  deleteTask(taskId: string): void;
  restoreTask(task: Task): void;
  reload(): Promise<void>;
}

/** The tasks of the open list, and every change the user can make to them (applied at once, saved in order). */
export function useListTasks(listId: string): ListTasks {
  const stores = useStores();
  const store = useMemo(() => stores.tasksOf(listId), [stores, listId]);
  useEffect(() => {
    void store.load();
  }, [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);

  const actions = useMemo(
    () => ({
      addTask: (task: NewTask) => store.addTask(task),
      updateTask: (taskId: string, changes: TaskChanges, onAnswer?: (task: Task) => void) => store.updateTask(taskId, changes, onAnswer),
      moveTask: (taskId: string, placement: TaskPlacement) => store.moveTask(taskId, placement),
      moveTaskBy: (taskId: string, offset: number) => store.moveTaskBy(taskId, offset),
      restoreTask: (task: Task) => store.restoreTask(task),
      deleteTask(taskId: string) {
        const task = store.deleteTask(taskId);
        if (!task) return;
        const toastId = toastStore.show({
          message: `Deleted “${truncate(task.title, 40)}”`,
          action: {
            label: 'Undo',
            run: () => {
              toastStore.dismiss(toastId);
              store.restoreTask(task);
            },
          },
          timeoutMs: 8000,
        });
      },
      reload: () => store.load(),
    }),
    [store],
  );
  return { ...snapshot, ...actions };
}
