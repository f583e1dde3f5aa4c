/** The toast that says where a completed repeating task went, corrected by the server's answer when that differs. */
import type { Task } from '../../core/schemas/index.js';
import { toastStore } from '../state/toasts.store.js';
import { answeredOccurrenceMessage, nextDueOnCompletion, nextOccurrenceMessage } from './repeat-rules.js';

/**
 * Completing `task` (as shown, before the change): when it repeats, shows "“Bins” repeats. Next: Thu, Nov 26" and
 * returns what to call with the server's answer (the toast then says the real next date, if another). Null when
 * completing closes the task.
 */
export function showNextOccurrence(task: Task, today: string): ((answer: Task) => void) | null {
  const expected = nextDueOnCompletion(task);
  const message = nextOccurrenceMessage(task, today);
  if (!expected || !message) return null;
  const id = toastStore.show({ message });
  return (answer) => {
    const corrected = answeredOccurrenceMessage(expected, answer, today);
    if (corrected) toastStore.update(id, { message: corrected });
  };
}
