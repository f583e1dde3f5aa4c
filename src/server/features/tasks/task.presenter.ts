import { canonicalTimeZone } from '../../../core/schemas/common.js';
import type { Recurrence } from '../../../core/recurrence.js';
import type { DueDate, Task } from '../../../core/schemas/tasks.js';
import type { TasksTable } from '../../db/schema.js';
import { presentBlocks } from './task-blocks.js';

export function dueDateOf(row: Pick<TasksTable, 'due_date' | 'due_time_zone'>): DueDate | null {
  if (row.due_date === null) return null;
  return row.due_time_zone ? { dateTime: row.due_date, timeZone: row.due_time_zone } : row.due_date;
}

/** The same due date: the same day, and the same time and zone (a zone's other spellings count as the same). */
export function sameDueDate(a: DueDate | null, b: DueDate | null): boolean {
  const [x, y] = [dueDateColumns(a), dueDateColumns(b)];
  return x.due_date === y.due_date && x.due_time_zone === y.due_time_zone;
}

export function dueDateColumns(dueDate: DueDate | null): Pick<TasksTable, 'due_date' | 'due_time_zone'> {
  if (dueDate === null) return { due_date: null, due_time_zone: null };
  if (typeof dueDate === 'string') return { due_date: dueDate, due_time_zone: null };
  return { due_date: dueDate.dateTime, due_time_zone: canonicalTimeZone(dueDate.timeZone) ?? dueDate.timeZone };
}

/** Written only from a checked `Recurrence`. */
export const recurrenceOf = (row: Pick<TasksTable, 'recurrence'>): Recurrence | null =>
  row.recurrence === null ? null : (JSON.parse(row.recurrence) as Recurrence);

export const presentTask = (row: Omit<TasksTable, 'search_text'>): Task => ({
  id: row.id,
  listId: row.list_id,
  workspaceId: row.workspace_id,
  title: row.title,
  notes: row.notes,
  done: row.completed_at !== null,
  completedAt: row.completed_at,
  completedBy: row.completed_by,
  dueDate: dueDateOf(row),
  recurrence: recurrenceOf(row),
  priority: Number(row.priority),
  position: row.position,
  assigneeId: row.assignee_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
  blocks: presentBlocks(row.blocks),
});
