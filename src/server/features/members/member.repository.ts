import type { Kysely } from 'kysely';
import type { Database, ListMembersTable } from '../../db/schema.js';

/** The list's own members, with their account details. */
export const listListMembers = (db: Kysely<Database>, listId: string) =>
  db
    .selectFrom('list_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.role', 'u.email', 'u.name'])
    .where('m.list_id', '=', listId)
    .execute();

export const findListMember = (db: Kysely<Database>, listId: string, userId: string) =>
  db.selectFrom('list_members').selectAll().where('list_id', '=', listId).where('user_id', '=', userId).executeTakeFirst();

export const findListOwner = (db: Kysely<Database>, listId: string) =>
  db.selectFrom('list_members').selectAll().where('list_id', '=', listId).where('role', '=', 'owner').executeTakeFirst();

export async function countListMembers(db: Kysely<Database>, listId: string): Promise<number> {
  const row = await db
    .selectFrom('list_members')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('list_id', '=', listId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export const setListMemberRole = (db: Kysely<Database>, listId: string, userId: string, role: ListMembersTable['role']) =>
  db.updateTable('list_members').set({ role }).where('list_id', '=', listId).where('user_id', '=', userId).execute();

export const deleteListMember = (db: Kysely<Database>, listId: string, userId: string) =>
  db.deleteFrom('list_members').where('list_id', '=', listId).where('user_id', '=', userId).execute();

/** Every task of the list assigned to the user, trashed ones included. */
export const tasksAssignedOnList = (db: Kysely<Database>, listId: string, userId: string) =>
  db.selectFrom('tasks').selectAll().where('list_id', '=', listId).where('assignee_id', '=', userId).orderBy('id').execute();

export const clearTaskAssignee = (db: Kysely<Database>, taskId: string, at: string) =>
  db.updateTable('tasks').set({ assignee_id: null, updated_at: at }).where('id', '=', taskId).execute();

export const findUserSummary = (db: Kysely<Database>, userId: string) =>
  db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', userId).executeTakeFirst();
