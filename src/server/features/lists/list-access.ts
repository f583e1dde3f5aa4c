/**
 * The one place that answers "what may this user do on this list". No access looks exactly like
 * no list (404); access without the needed permission is 403.
 */
import type { Kysely } from 'kysely';
import { forbidden, notFound } from '../../../core/errors.js';
import { can, type ListAction, type ListRole } from '../../../core/permissions.js';
import type { Database, ListsTable } from '../../db/schema.js';

export interface ListAccess {
  list: ListsTable;
  role: ListRole;
}

export async function findListAccess(db: Kysely<Database>, listId: string, userId: string): Promise<ListAccess | undefined> {
  const row = await db
    .selectFrom('lists as l')
    .innerJoin('list_members as m', (join) => join.onRef('m.list_id', '=', 'l.id').on('m.user_id', '=', userId))
    .selectAll('l')
    .select('m.role as member_role')
    .where('l.id', '=', listId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { member_role, ...list } = row;
  return { list, role: member_role };
}

export async function authorizeList(db: Kysely<Database>, userId: string, listId: string, action: ListAction, what = 'List'): Promise<ListAccess> {
  const access = await findListAccess(db, listId, userId);
  if (!access) throw notFound(what);
  if (!can(access.role, action)) throw forbidden(`Your role (${access.role}) does not allow ${action}`);
  return access;
}
