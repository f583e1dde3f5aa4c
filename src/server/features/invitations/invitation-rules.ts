/**
 * The rules every invitation follows, to a list (`invitation.service.ts`) or to a team workspace
 * (`workspaces/workspace-invitation.service.ts`): who may answer it in the app, when it can still be answered, how
 * it reads once past its expiry, its single-use secret, and the conditional answer that makes it single-use.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../../core/errors.js';
import type { Database } from '../../db/schema.js';
import { hashSecret, newSecret } from '../auth/secret-token.js';

type StoredStatus = 'pending' | 'accepted' | 'declined' | 'revoked';
interface InvitationRow {
  email: string;
  status: StoredStatus;
  created_at: string;
  expires_at: string;
}

const dayMs = 86_400_000;

/**
 * Whether an invitation is this account's to see and answer without its link. Listo does not verify email
 * addresses, so anyone can sign up with the address an invitation went to: only an account that already held it
 * when the invitation was sent gets it in the app. Someone who signs up later joins with the link the inviter
 * shared, whose secret proves they were meant.
 */
export const addressedTo = (invitation: Pick<InvitationRow, 'email' | 'created_at'>, user: { email: string; created_at: string }): boolean =>
  invitation.email === user.email && invitation.created_at >= user.created_at;

/** 410 unless the invitation can still be answered. */
export function assertAnswerable(invitation: Pick<InvitationRow, 'status' | 'expires_at'>, now: string): void {
  if (invitation.status !== 'pending') throw new AppError('gone', `This invitation was already ${invitation.status}`);
  if (invitation.expires_at <= now) throw new AppError('gone', 'This invitation has expired; ask for a new one');
}

/** A pending invitation past its expiry reads as `expired`; the stored row stays `pending`. */
export const shownStatus = (row: Pick<InvitationRow, 'status' | 'expires_at'>, now: string) =>
  row.status === 'pending' && row.expires_at <= now ? ('expired' as const) : row.status;

/** A new invitation's secret (for its link; only the hash is stored) and its life: from `now`, for `ttlDays`. */
export function newInvitationSecret(now: Date, ttlDays: number) {
  const token = newSecret();
  return {
    token,
    columns: { token_hash: hashSecret(token), created_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlDays * dayMs).toISOString() },
  };
}

/**
 * Moves a pending invitation to its answer. Conditional on still being pending, so of two racing answers exactly one
 * wins: the secret is single-use.
 */
export async function answerPendingInvitation(
  db: Kysely<Database>,
  table: 'invitations' | 'workspace_invitations',
  id: string,
  status: 'accepted' | 'declined' | 'revoked',
  at: string,
  acceptedBy: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ status, responded_at: at, accepted_by: acceptedBy })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
