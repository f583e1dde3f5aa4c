/**
 * Who may do what in billing: operators (`LISTO_ADMIN_EMAILS`) run meters, plans, test clocks and the
 * simulator; a workspace's admins read its subscription, usage and invoices; events come from operators
 * or from API tokens of a workspace admin, for that workspace only.
 */
import type { Kysely } from 'kysely';
import { forbidden, notFound } from '../../core/errors.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';

export function createBillingAccess(db: Kysely<Database>, config: Pick<Config, 'adminEmails'>) {
  async function isAdmin(userId: string): Promise<boolean> {
    if (config.adminEmails.size === 0) return false;
    const user = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
    return Boolean(user && config.adminEmails.has(user.email.toLowerCase()));
  }

  async function workspaceRole(userId: string, workspaceId: string) {
    const row = await db
      .selectFrom('workspace_members')
      .select('role')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role ?? null;
  }

  return {
    isAdmin,

    /** When the workspace was created (server clock), or null when there is none. */
    async workspaceCreatedAt(workspaceId: string): Promise<string | null> {
      const row = await db.selectFrom('workspaces').select('created_at').where('id', '=', workspaceId).executeTakeFirst();
      return row ? new Date(row.created_at).toISOString() : null;
    },

    async requireAdmin(userId: string): Promise<void> {
      if (!(await isAdmin(userId))) throw forbidden('Only billing administrators may do that');
    },

    /** Operators, or an admin of the workspace; anyone else learns nothing about it (404). */
    async requireWorkspaceBilling(userId: string, workspaceId: string): Promise<void> {
      if (await isAdmin(userId)) {
        const exists = await db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).executeTakeFirst();
        if (!exists) throw notFound('Workspace');
        return;
      }
      const role = await workspaceRole(userId, workspaceId);
      if (!role) throw notFound('Workspace');
      if (role !== 'admin') throw forbidden('Only workspace admins see billing');
    },

    /** Workspaces among `workspaceIds` the caller may post usage events for. */
    async eventWorkspaces(principal: { userId: string; via: 'session' | 'token' }, workspaceIds: string[]): Promise<Set<string>> {
      const unique = [...new Set(workspaceIds)];
      if (unique.length === 0) return new Set();
      if (await isAdmin(principal.userId)) {
        const rows = await db.selectFrom('workspaces').select('id').where('id', 'in', unique).execute();
        return new Set(rows.map((row) => row.id));
      }
      if (principal.via !== 'token') throw forbidden('Post usage events with an API token of a workspace admin');
      const rows = await db
        .selectFrom('workspace_members')
        .select('workspace_id')
        .where('user_id', '=', principal.userId)
        .where('role', '=', 'admin')
        .where('workspace_id', 'in', unique)
        .execute();
      return new Set(rows.map((row) => row.workspace_id));
    },
  };
}

export type BillingAccess = ReturnType<typeof createBillingAccess>;
