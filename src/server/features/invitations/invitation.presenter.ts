import type { Invitation, PendingInvitation } from '../../../core/schemas/members.js';
import type { InvitationsTable } from '../../db/schema.js';
import { shownStatus } from './invitation-rules.js';

export const presentInvitation = (row: InvitationsTable, now: string): Invitation => ({
  id: row.id,
  listId: row.list_id,
  email: row.email,
  role: row.role,
  status: shownStatus(row, now),
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export const presentPendingInvitation = (row: InvitationsTable & { list_name: string; inviter_name: string }): PendingInvitation => ({
  id: row.id,
  listId: row.list_id,
  listName: row.list_name,
  role: row.role,
  invitedBy: row.invited_by,
  invitedByName: row.inviter_name,
  email: row.email,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});
