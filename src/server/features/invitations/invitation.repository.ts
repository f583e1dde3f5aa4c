import type { Kysely } from 'kysely';
import type { Database, InvitationsTable } from '../../db/schema.js';

export const insertInvitation = (db: Kysely<Database>, row: InvitationsTable) => db.insertInto('invitations').values(row).execute();

export const findInvitation = (db: Kysely<Database>, id: string) => db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();

export const findInvitationByTokenHash = (db: Kysely<Database>, tokenHash: string) =>
  db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

/** Pending invitations of a list that have not expired: they hold a seat until answered. */
export async function countLivePendingInvitations(db: Kysely<Database>, listId: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('list_id', '=', listId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export const listLivePendingInvitationsOfList = (db: Kysely<Database>, listId: string, now: string) =>
  db.selectFrom('invitations').selectAll().where('list_id', '=', listId).where('status', '=', 'pending').where('expires_at', '>', now).orderBy('id').execute();

/** The invitee's view: pending, unexpired invitations to this address, with list and inviter names. */
/** Sent to `email` since `since` (the account's creation: see `addressedTo` in invitation-rules.ts). */
export const listLivePendingInvitationsForEmail = (db: Kysely<Database>, email: string, since: string, now: string) =>
  db
    .selectFrom('invitations as i')
    .innerJoin('lists as l', 'l.id', 'i.list_id')
    .innerJoin('users as u', 'u.id', 'i.invited_by')
    .selectAll('i')
    .select(['l.name as list_name', 'u.name as inviter_name'])
    .where('i.email', '=', email)
    .where('i.created_at', '>=', since)
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', now)
    .orderBy('i.id', 'desc')
    .execute();

/** Revokes whatever is still pending for this address on this list (a new invitation replaces it); returns their ids. */
export async function revokePendingInvitationsFor(db: Kysely<Database>, listId: string, email: string, at: string): Promise<string[]> {
  const rows = await db
    .updateTable('invitations')
    .set({ status: 'revoked', responded_at: at })
    .where('list_id', '=', listId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
