/**
 * Completing (or reopening) a task from a panel that gathers the tasks of many lists ("Upcoming", "Assigned to me").
 * The task changes on screen at once (a repeating one stays open on its next date, with the toast and its Undo); the
 * request says which occurrence was shown and today's date, so a stale screen does not skip an occurrence and an
 * overdue task moves to its first occurrence from today on; the server's answer is shown and handed to the task's
 * list if that is loaded. A refusal puts the task back and says why.
 */
import { localDay } from '../../core/due-days.js';
import type { Task } from '../../core/schemas/index.js';
import { newIdempotencyKey, toApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { SessionStores } from '../state/session-stores.js';
import { toastStore } from '../state/toasts.store.js';
import { completedLocally, nextDueOnCompletion } from './repeat-rules.js';
import { showNextOccurrence, undoneCompletion } from './repeat-toast.js';

export async function completeFromPanel(
  task: Task,
  done: boolean,
  { show, stores, today = localDay(new Date()) }: { show: (task: Task) => void; stores: SessionStores; today?: string },
): Promise<void> {
  // Undo puts the previous due date back once the completion has its answer (not before it: it would come first),
  // through the list's write queue.
  let completed = () => {};
  const completion = new Promise<void>((resolve) => (completed = resolve));
  const undo = () =>
    void completion.then(() => {
      show(task);
      stores.tasksOf(task.listId).updateTask(task.id, undoneCompletion(task), show);
    });
  const answered = done ? showNextOccurrence(task, today, undo) : null;
  show(done ? completedLocally(task, new Date()) : { ...task, done });
  try {
    const occurrence = done && nextDueOnCompletion(task, today) ? { occurrence: task.dueDate!, today } : {};
    const updated = await api.updateTask(task.id, { done, ...occurrence }, newIdempotencyKey());
    show(updated);
    answered?.(updated);
    completed();
    stores.peekTasks(updated.listId)?.applyServerTask(updated);
  } catch (caught) {
    show(task);
    toastStore.error(toApiError(caught).detail);
  }
}
