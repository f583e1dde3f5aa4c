/** The toast that says where a completed repeating task went, corrected by the server's answer when that differs. */
import type { Task } from '../../core/schemas/index.js';
import { toastStore } from '../state/toasts.store.js';
import { answeredOccurrenceMessage, nextDueOnCompletion, nextOccurrenceMessage } from './repeat-rules.js';

/**
 * Completing `task` (as shown, before the change): when it repeats, shows "“Bins” repeats. Next: Thu, Nov 26" with
 * Undo (`undo` puts the previous due date back: see `undoneCompletion`), and returns what to call with the server's
 * answer. An answer with another date (someone completed that occurrence first) corrects the toast and takes Undo
 * away, which would now undo their completion. Null when completing closes the task.
 */
export function showNextOccurrence(task: Task, today: string, undo: () => void): ((answer: Task) => void) | null {
  const expected = nextDueOnCompletion(task);
  const message = nextOccurrenceMessage(task, today);
  if (!expected || !message) return null;
  const id = toastStore.show({
    message,
    action: {
      label: 'Undo',
      run: () => {
        toastStore.dismiss(id);
        undo();
      },
    },
    timeoutMs: 8000,
  });
  return (answer) => {
    const corrected = answeredOccurrenceMessage(expected, answer, today);
    if (corrected) toastStore.update(id, { message: corrected });
  };
}

/**
 * The edit that undoes a repeating task's completion: its previous due date back, with its rule as it was (a date set
 * by hand would otherwise become the rule's day of the month: Feb 28 back on a rule of the 31st).
 */
export function undoneCompletion(task: Pick<Task, 'dueDate' | 'recurrence'>): { dueDate: Task['dueDate']; recurrence?: Task['recurrence'] } {
  return task.recurrence ? { dueDate: task.dueDate, recurrence: task.recurrence } : { dueDate: task.dueDate };
}
