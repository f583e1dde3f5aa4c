import type { Kysely } from 'kysely';
import type { ApiTokensTable, Database } from '../../db/schema.js';

export const insertApiToken = (db: Kysely<Database>, token: ApiTokensTable) => db.insertInto('api_tokens').values(token).execute();

export const listApiTokens = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

export const findApiTokenByHash = (db: Kysely<Database>, tokenHash: string) =>
  db.selectFrom('api_tokens').select(['id', 'user_id', 'last_used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();

export const touchApiToken = (db: Kysely<Database>, id: string, at: string) =>
  db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();

export const deleteApiToken = (db: Kysely<Database>, userId: string, id: string) =>
  db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
