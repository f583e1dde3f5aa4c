import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database, NotificationsTable } from '../../db/schema.js';

export const insertNotification = (db: Kysely<Database>, row: NotificationsTable) => db.insertInto('notifications').values(row).execute();

/** Newest first; `beforeId` is the last id of the previous page. */
export function listNotificationsOf(db: Kysely<Database>, userId: string, filter: { beforeId: string | null; unread: boolean | undefined; limit: number }) {
  let query = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (filter.unread !== undefined) query = query.where('read_at', filter.unread ? 'is' : 'is not', null);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export async function countUnread(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export const findNotification = (db: Kysely<Database>, userId: string, id: string) =>
  db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();

export const markNotificationRead = (db: Kysely<Database>, userId: string, id: string, at: string) =>
  db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();

export const markAllNotificationsRead = (db: Kysely<Database>, userId: string, at: string) =>
  db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).execute();

/** A user who lost access to a list keeps nothing of it, notifications included. */
export const deleteNotificationsOfList = (db: Kysely<Database>, userId: string, listId: string) =>
  db.deleteFrom('notifications').where('user_id', '=', userId).where('list_id', '=', listId).execute();

/** An invitation withdrawn, declined or replaced: its "invited you" notification would offer what is no longer there. */
export const deleteNotificationsOfInvitation = (db: Kysely<Database>, invitationId: string) =>
  db.deleteFrom('notifications').where('invitation_id', '=', invitationId).execute();

/** Tasks purged from the trash: their notifications would point at a 404 and quote what is gone. */
export const deleteNotificationsOfTasks = (db: Kysely<Database>, taskIds: SelectQueryBuilder<Database, 'tasks', { id: string }>) =>
  db.deleteFrom('notifications').where('task_id', 'in', taskIds).execute();

/**
 * A task moved to another list: its notifications follow it for whoever can see that list (`mayKeep`), and go for
 * whoever cannot, as when access to a list is lost.
 */
export async function moveNotificationsOfTask(
  db: Kysely<Database>,
  taskId: string,
  to: { listId: string; workspaceId: string },
  mayKeep: (userId: string) => Promise<boolean>,
): Promise<void> {
  const holders = await db.selectFrom('notifications').select('user_id').distinct().where('task_id', '=', taskId).execute();
  for (const { user_id: userId } of holders) {
    const notifications = db.updateTable('notifications').where('task_id', '=', taskId).where('user_id', '=', userId);
    if (await mayKeep(userId)) await notifications.set({ list_id: to.listId, workspace_id: to.workspaceId }).execute();
    else await db.deleteFrom('notifications').where('task_id', '=', taskId).where('user_id', '=', userId).execute();
  }
}
