import type { Kysely } from 'kysely';
import type { Database, WorkspaceMembersTable, WorkspacesTable } from '../../db/schema.js';

export const insertWorkspace = (db: Kysely<Database>, workspace: WorkspacesTable) =>
  db.insertInto('workspaces').values(workspace).execute();

export const insertWorkspaceMember = (db: Kysely<Database>, member: WorkspaceMembersTable) =>
  db.insertInto('workspace_members').values(member).execute();

export const listWorkspacesOf = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('workspace_members as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['w.id', 'w.name', 'w.kind', 'm.role', 'w.created_at'])
    .where('m.user_id', '=', userId)
    .orderBy('w.kind', 'desc') // personal first
    .orderBy('w.created_at')
    .execute();

export const findWorkspaceRole = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db
    .selectFrom('workspace_members')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const findPersonalWorkspace = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('workspaces')
    .select('id')
    .where('created_by', '=', userId)
    .where('kind', '=', 'personal')
    .executeTakeFirst();
