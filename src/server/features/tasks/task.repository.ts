import type { Kysely } from 'kysely';
import type { Database, TasksTable } from '../../db/schema.js';
import { accessibleListIds } from '../lists/list-access.js';

export const insertTask = (db: Kysely<Database>, task: TasksTable) => db.insertInto('tasks').values(task).execute();

export const findTask = (db: Kysely<Database>, id: string) => db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();

export const updateTaskRow = (db: Kysely<Database>, id: string, changes: Partial<TasksTable>) =>
  db.updateTable('tasks').set(changes).where('id', '=', id).execute();

/** Highest position in the list, deleted tasks included, so a restored task keeps a unique place. */
export async function lastTaskPosition(db: Kysely<Database>, listId: string): Promise<string | null> {
  const row = await db.selectFrom('tasks').select('position').where('list_id', '=', listId).orderBy('position', 'desc').limit(1).executeTakeFirst();
  return row?.position ?? null;
}

/** The live task next to `position` in the list (after or before it), skipping `excludeId`. */
export async function neighbourTaskPosition(
  db: Kysely<Database>,
  listId: string,
  position: string,
  direction: 'after' | 'before',
  excludeId: string | null,
): Promise<string | null> {
  let query = db
    .selectFrom('tasks')
    .select('position')
    .where('list_id', '=', listId)
    .where('deleted_at', 'is', null)
    .where('position', direction === 'after' ? '>' : '<', position);
  if (excludeId) query = query.where('id', '!=', excludeId);
  const row = await query.orderBy('position', direction === 'after' ? 'asc' : 'desc').limit(1).executeTakeFirst();
  return row?.position ?? null;
}

export interface TaskFilter {
  listId: string;
  deleted: boolean;
  done?: boolean | undefined;
  after?: { position: string; id: string } | null;
  limit: number;
}

export function listTasksOfList(db: Kysely<Database>, filter: TaskFilter) {
  let query = db
    .selectFrom('tasks')
    .selectAll()
    .where('list_id', '=', filter.listId)
    .where('deleted_at', filter.deleted ? 'is not' : 'is', null);
  if (filter.done !== undefined) query = query.where('completed_at', filter.done ? 'is not' : 'is', null);
  if (filter.after) {
    const { position, id } = filter.after;
    query = query.where((eb) => eb.or([eb('position', '>', position), eb.and([eb('position', '=', position), eb('id', '>', id)])]));
  }
  return query.orderBy('position').orderBy('id').limit(filter.limit + 1).execute();
}

export const purgeDeletedTasks = (db: Kysely<Database>, deletedBefore: string) =>
  db.deleteFrom('tasks').where('deleted_at', '<', deletedBefore).execute();

/** Live tasks assigned to the user on lists they can still see, oldest first by id. */
export function listTasksAssignedTo(db: Kysely<Database>, filter: { userId: string; done?: boolean | undefined; afterId: string | null; limit: number }) {
  let query = db
    .selectFrom('tasks')
    .selectAll()
    .where('assignee_id', '=', filter.userId)
    .where('deleted_at', 'is', null)
    .where('list_id', 'in', accessibleListIds(db, filter.userId));
  if (filter.done !== undefined) query = query.where('completed_at', filter.done ? 'is not' : 'is', null);
  if (filter.afterId) query = query.where('id', '>', filter.afterId);
  return query.orderBy('id').limit(filter.limit + 1).execute();
}
