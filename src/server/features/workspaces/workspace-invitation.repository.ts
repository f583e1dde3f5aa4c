import type { Kysely } from 'kysely';
import type { Database, WorkspaceInvitationsTable } from '../../db/schema.js';

export const insertWorkspaceInvitation = (db: Kysely<Database>, row: WorkspaceInvitationsTable) => db.insertInto('workspace_invitations').values(row).execute();

export const findWorkspaceInvitation = (db: Kysely<Database>, id: string) =>
  db.selectFrom('workspace_invitations').selectAll().where('id', '=', id).executeTakeFirst();

export const findWorkspaceInvitationByTokenHash = (db: Kysely<Database>, tokenHash: string) =>
  db.selectFrom('workspace_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

/*
 * An invitation holds only while its sender is an admin of its workspace (accepting it is then 410): one whose sender
 * was demoted or removed is not listed as pending, to its invitee or to the admins (the join on `sender`).
 */

export const listLivePendingInvitationsOfWorkspace = (db: Kysely<Database>, workspaceId: string, now: string) =>
  db
    .selectFrom('workspace_invitations as i')
    .innerJoin('workspace_members as sender', (join) =>
      join.onRef('sender.workspace_id', '=', 'i.workspace_id').onRef('sender.user_id', '=', 'i.invited_by').on('sender.role', '=', 'admin'),
    )
    .selectAll('i')
    .where('i.workspace_id', '=', workspaceId)
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', now)
    .orderBy('i.id')
    .execute();

/** The invitee's view: pending, unexpired invitations sent to `email` since `since` (the account's creation), with names. */
export const listLivePendingWorkspaceInvitationsForEmail = (db: Kysely<Database>, email: string, since: string, now: string) =>
  db
    .selectFrom('workspace_invitations as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .innerJoin('users as u', 'u.id', 'i.invited_by')
    .innerJoin('workspace_members as sender', (join) =>
      join.onRef('sender.workspace_id', '=', 'i.workspace_id').onRef('sender.user_id', '=', 'i.invited_by').on('sender.role', '=', 'admin'),
    )
    .selectAll('i')
    .select(['w.name as workspace_name', 'u.name as inviter_name'])
    .where('i.email', '=', email)
    .where('i.created_at', '>=', since)
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', now)
    .orderBy('i.id', 'desc')
    .execute();

/** Revokes what is still pending for this address in this workspace (a new invitation replaces it); returns them. */
export const revokePendingWorkspaceInvitationsFor = (db: Kysely<Database>, workspaceId: string, email: string, at: string) =>
  db
    .updateTable('workspace_invitations')
    .set({ status: 'revoked', responded_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
