import type { Kysely } from 'kysely';
import type { Database, ShareLinksTable } from '../../db/schema.js';

export const insertShareLink = (db: Kysely<Database>, row: ShareLinksTable) => db.insertInto('share_links').values(row).execute();

export const findLiveShareLink = (db: Kysely<Database>, listId: string) =>
  db.selectFrom('share_links').selectAll().where('list_id', '=', listId).where('disabled_at', 'is', null).executeTakeFirst();

export const findLiveShareLinkByTokenHash = (db: Kysely<Database>, tokenHash: string) =>
  db.selectFrom('share_links').selectAll().where('token_hash', '=', tokenHash).where('disabled_at', 'is', null).executeTakeFirst();

export const disableShareLinks = (db: Kysely<Database>, listId: string, at: string) =>
  db.updateTable('share_links').set({ disabled_at: at }).where('list_id', '=', listId).where('disabled_at', 'is', null).execute();
