import type { Kysely } from 'kysely';
import type { CommentsTable, Database } from '../../db/schema.js';

export const insertComment = (db: Kysely<Database>, row: CommentsTable) => db.insertInto('comments').values(row).execute();

/** Oldest first, as a conversation reads; `afterId` is the last id of the previous page. */
export function listCommentsOfTask(db: Kysely<Database>, taskId: string, afterId: string | null, limit: number) {
  let query = db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .selectAll('c')
    .select('u.name as author_name')
    .where('c.task_id', '=', taskId);
  if (afterId) query = query.where('c.id', '>', afterId);
  return query
    .orderBy('c.id')
    .limit(limit + 1)
    .execute();
}

export const findUsersByEmails = (db: Kysely<Database>, emails: string[]) =>
  emails.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(['id', 'email', 'name']).where('email', 'in', emails).execute();

/** A task moving to another list takes its comments along. */
export const moveCommentsOfTask = (db: Kysely<Database>, taskId: string, listId: string, workspaceId: string) =>
  db.updateTable('comments').set({ list_id: listId, workspace_id: workspaceId }).where('task_id', '=', taskId).execute();
