import { sql, type Kysely } from 'kysely';
import type { Database, WorkspaceMembersTable, WorkspacesTable } from '../../db/schema.js';
import { isPostgres } from '../lists/list-access.js';

export const insertWorkspace = (db: Kysely<Database>, workspace: WorkspacesTable) => db.insertInto('workspaces').values(workspace).execute();

export const insertWorkspaceMember = (db: Kysely<Database>, member: WorkspaceMembersTable) => db.insertInto('workspace_members').values(member).execute();

/**
 * Adds the member unless they already are one (whatever their role); false if they were. Unlike a
 * look first, this stays right when two transactions add the same person at once: on PostgreSQL the
 * second insert waits for the first to commit, then does nothing.
 */
export async function insertWorkspaceMemberIfAbsent(db: Kysely<Database>, member: WorkspaceMembersTable): Promise<boolean> {
  const result = await db
    .insertInto('workspace_members')
    .values(member)
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * PostgreSQL: serializes every change of one workspace's membership until commit (SQLite has one
 * writer). It locks the workspace row, then every list of the workspace in id order, before the change
 * reads anything: two admins demoting or removing themselves at once then count admins one after the
 * other, and a change never holds a membership row while it waits for a list (list writes lock their
 * list first, and joining a list may add its joiner to the workspace as a guest). `no key update`,
 * not `update`: rows inserted with a foreign key to the workspace (tasks' events, new lists) take a
 * key-share lock on it, and must not queue behind a membership change.
 */
export async function lockWorkspaceMembership(db: Kysely<Database>, workspaceId: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select 1 from workspaces where id = ${workspaceId} for no key update`.execute(db);
  await sql`select 1 from lists where workspace_id = ${workspaceId} order by id for update`.execute(db);
}

export const listWorkspacesOf = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('workspace_members as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['w.id', 'w.name', 'w.kind', 'm.role', 'w.created_at'])
    .where('m.user_id', '=', userId)
    .orderBy('w.kind') // personal first ('personal' < 'team')
    .orderBy('w.created_at')
    .execute();

export const findWorkspaceRole = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db.selectFrom('workspace_members').select('role').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();

export const findPersonalWorkspace = (db: Kysely<Database>, userId: string) =>
  db.selectFrom('workspaces').select('id').where('created_by', '=', userId).where('kind', '=', 'personal').executeTakeFirst();

export const listWorkspaceMembers = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.role', 'u.email', 'u.name'])
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('u.name')
    .orderBy('m.user_id')
    .execute();

export const setWorkspaceMemberRole = (db: Kysely<Database>, workspaceId: string, userId: string, role: WorkspaceMembersTable['role']) =>
  db.updateTable('workspace_members').set({ role }).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();

export const deleteWorkspaceMember = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db.deleteFrom('workspace_members').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();

export async function countWorkspaceAdmins(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('workspace_members')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Lists of the workspace the user owns. */
export const listsOwnedIn = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db.selectFrom('list_members').select('list_id').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('role', '=', 'owner').execute();

/** Drops the user's own memberships of the workspace's lists. */
export const deleteListMembershipsIn = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db.deleteFrom('list_members').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
