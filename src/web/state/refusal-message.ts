/** What to tell the user when the server refused one of their changes (the change is already undone). */
import type { Task } from '../../core/schemas/index.js';
import { truncate } from '../../core/text.js';
import type { ApiError } from '../api/client.js';

export function refusalMessage(error: ApiError, task?: Pick<Task, 'title'>): string {
  const name = task ? `“${truncate(task.title, 40)}”` : 'This task';
  switch (error.code) {
    case 'task_deleted':
      return `${name} was deleted by someone else, so your change was not saved.`;
    case 'not_found':
      return task ? `${name} no longer exists here, so your change was not saved.` : error.detail;
    default:
      return error.detail;
  }
}
