import type { Invitation, PendingInvitation } from '../../../core/schemas/members.js';
import type { InvitationsTable } from '../../db/schema.js';

/** A pending invitation past its expiry reads as `expired`; the stored row stays `pending`. */
export const presentInvitation = (row: InvitationsTable, now: string): Invitation => ({
  id: row.id,
  listId: row.list_id,
  email: row.email,
  role: row.role,
  status: row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status,
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
