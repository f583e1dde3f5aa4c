import { sql, type Kysely } from 'kysely';
import type { Database, ListMembersTable, ListsTable } from '../../db/schema.js';
import { accessibleListIds, isPostgres, selectListsWithRoles } from './list-access.js';

export const insertList = (db: Kysely<Database>, list: ListsTable) => db.insertInto('lists').values(list).execute();
export const insertListMember = (db: Kysely<Database>, member: ListMembersTable) => db.insertInto('list_members').values(member).execute();

/**
 * Serializes the writers of a workspace's list order (creating a list, reordering one) until commit, so
 * a position computed from the workspace's lists never races another: PostgreSQL row lock on the
 * workspace (SQLite has one writer). Taken before any list row, the order workspace membership changes
 * take them in (`lockWorkspaceMembership`); `for no key update`, so inserts that only reference the
 * workspace (a task, a member) never wait for it.
 */
export async function lockWorkspaceListOrder(db: Kysely<Database>, workspaceId: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select 1 from workspaces where id = ${workspaceId} for no key update`.execute(db);
}

/** The list's workspace, read without a lock (a list never changes workspace). */
export async function findListWorkspaceId(db: Kysely<Database>, listId: string): Promise<string | undefined> {
  return (await db.selectFrom('lists').select('workspace_id').where('id', '=', listId).executeTakeFirst())?.workspace_id;
}

export async function lastListPosition(db: Kysely<Database>, workspaceId: string): Promise<string | null> {
  const row = await db.selectFrom('lists').select('position').where('workspace_id', '=', workspaceId).orderBy('position', 'desc').limit(1).executeTakeFirst();
  return row?.position ?? null;
}

/** The position right after / before `position` among the workspace's lists, skipping `excludeId`. */
export async function neighbourListPosition(
  db: Kysely<Database>,
  workspaceId: string,
  position: string,
  direction: 'after' | 'before',
  excludeId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('lists')
    .select('position')
    .where('workspace_id', '=', workspaceId)
    .where('id', '!=', excludeId)
    .where('position', direction === 'after' ? '>' : '<', position)
    .orderBy('position', direction === 'after' ? 'asc' : 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.position ?? null;
}

export interface ListFilter {
  userId: string;
  workspaceId?: string | undefined;
  archived?: boolean | undefined;
  after?: { position: string; id: string } | null;
  limit: number;
}

/** A list's position, if the user can (still) see it: where a page of their lists resumes after it. */
export async function findListPositionOfUser(db: Kysely<Database>, userId: string, listId: string): Promise<string | undefined> {
  return (await db.selectFrom('lists').select('position').where('id', '=', listId).where('id', 'in', accessibleListIds(db, userId)).executeTakeFirst())
    ?.position;
}

export function listListsOfUser(db: Kysely<Database>, filter: ListFilter) {
  // Lists shared with the user and, through a team workspace, every list of it (see list-access.ts).
  let query = selectListsWithRoles(db, filter.userId).where('l.id', 'in', accessibleListIds(db, filter.userId));
  if (filter.workspaceId) query = query.where('l.workspace_id', '=', filter.workspaceId);
  if (filter.archived !== undefined) query = query.where('l.archived_at', filter.archived ? 'is not' : 'is', null);
  if (filter.after) {
    const { position, id } = filter.after;
    query = query.where((eb) => eb.or([eb('l.position', '>', position), eb.and([eb('l.position', '=', position), eb('l.id', '>', id)])]));
  }
  return query
    .orderBy('l.position')
    .orderBy('l.id')
    .limit(filter.limit + 1)
    .execute();
}

export const updateList = (db: Kysely<Database>, id: string, changes: Partial<ListsTable>) =>
  db.updateTable('lists').set(changes).where('id', '=', id).execute();

export const deleteList = (db: Kysely<Database>, id: string) => db.deleteFrom('lists').where('id', '=', id).execute();
