/**
 * What may this user do in this workspace: no membership looks like no workspace (404); a role
 * without the needed permission is 403. The workspace permission table is in core.
 */
import type { Kysely } from 'kysely';
import { forbidden, notFound } from '../../../core/errors.js';
import { canInWorkspace, workspaceActionWords, type WorkspaceAction, type WorkspaceRole } from '../../../core/permissions.js';
import type { Database, WorkspacesTable } from '../../db/schema.js';

export interface WorkspaceAccess {
  workspace: WorkspacesTable;
  role: WorkspaceRole;
}

export async function findWorkspaceAccess(db: Kysely<Database>, workspaceId: string, userId: string): Promise<WorkspaceAccess | undefined> {
  const row = await db
    .selectFrom('workspaces as w')
    .innerJoin('workspace_members as m', (join) => join.onRef('m.workspace_id', '=', 'w.id').on('m.user_id', '=', userId))
    .selectAll('w')
    .select('m.role as member_role')
    .where('w.id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { member_role, ...workspace } = row;
  return { workspace, role: member_role };
}

export async function authorizeWorkspace(db: Kysely<Database>, userId: string, workspaceId: string, action: WorkspaceAction): Promise<WorkspaceAccess> {
  const access = await findWorkspaceAccess(db, workspaceId, userId);
  if (!access) throw notFound('Workspace');
  if (!canInWorkspace(access.role, action)) throw forbidden(`Your workspace role (${access.role}) cannot ${workspaceActionWords[action]}`);
  return access;
}
