import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../../db/schema.js';

export const insertSession = (db: Kysely<Database>, session: SessionsTable) => db.insertInto('sessions').values(session).execute();

export const findLiveSession = (db: Kysely<Database>, tokenHash: string, now: string) =>
  db
    .selectFrom('sessions')
    .select(['user_id', 'token_hash', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();

export const deleteSession = (db: Kysely<Database>, tokenHash: string) => db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
