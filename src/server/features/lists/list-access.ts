/**
 * The one place that answers "what may this user do on this list". No access looks exactly like
 * no list (404); access without the needed permission is 403.
 *
 * A role on a list comes from two grants, and the higher one wins (`effectiveListRole` in core):
 * - membership of the list (`list_members`: owner, editor, commenter, viewer), and
 * - membership of the list's workspace when it is a team workspace (`workspaceListRole` in core:
 *   admin → editor, member → editor, guest → nothing; guests see only lists shared with them).
 *   A personal workspace gives nothing: its lists are reached by list membership only, so an owner
 *   who hands a list over can really be removed from it. Ownership never comes from a workspace.
 */
import { PostgresAdapter, type Kysely } from 'kysely';
import { forbidden, notFound } from '../../../core/errors.js';
import {
  can,
  effectiveListRole,
  listActionWords,
  workspaceListRole,
  workspaceRoles,
  type ListAction,
  type ListRole,
  type WorkspaceRole,
} from '../../../core/permissions.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { Database, ListsTable } from '../../db/schema.js';

export interface ListAccess {
  list: ListsTable;
  /** The effective role. */
  role: ListRole;
  /** The user's own list membership (null when the list is seen through its team workspace only). */
  memberRole: ListRole | null;
  /** The user's role in the list's workspace, when that is a team workspace. */
  workspaceRole: WorkspaceRole | null;
}

/** Team-workspace roles that give a role on every list of the workspace. */
const derivingRoles = workspaceRoles.filter((role) => workspaceListRole[role] !== null);

/** Lists (`l`) with the user's list role and team-workspace role; one indexed row per list. */
export function selectListsWithRoles(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('lists as l')
    .leftJoin('list_members as m', (join) => join.onRef('m.list_id', '=', 'l.id').on('m.user_id', '=', userId))
    .leftJoin('workspaces as w', (join) => join.onRef('w.id', '=', 'l.workspace_id').on('w.kind', '=', 'team'))
    .leftJoin('workspace_members as wm', (join) => join.onRef('wm.workspace_id', '=', 'w.id').on('wm.user_id', '=', userId))
    .selectAll('l')
    .select(['m.role as member_role', 'wm.role as workspace_role']);
}

/** Ids of every list the user can see, as a subquery (`where('l.id', 'in', accessibleListIds(...))`). */
export function accessibleListIds(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('list_members')
    .select('list_id')
    .where('user_id', '=', userId)
    .union(
      db
        .selectFrom('lists as dl')
        .innerJoin('workspaces as dw', 'dw.id', 'dl.workspace_id')
        .innerJoin('workspace_members as dwm', 'dwm.workspace_id', 'dl.workspace_id')
        .select('dl.id as list_id')
        .where('dw.kind', '=', 'team')
        .where('dwm.user_id', '=', userId)
        .where('dwm.role', 'in', derivingRoles),
    );
}

/** Everyone who can see the list: its members, and, in a team workspace, the members its workspace role reaches. */
export async function listAudienceIds(db: Kysely<Database>, listId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('list_members')
    .select('user_id')
    .where('list_id', '=', listId)
    .union(
      db
        .selectFrom('lists as l')
        .innerJoin('workspaces as w', 'w.id', 'l.workspace_id')
        .innerJoin('workspace_members as wm', 'wm.workspace_id', 'l.workspace_id')
        .select('wm.user_id')
        .where('l.id', '=', listId)
        .where('w.kind', '=', 'team')
        .where('wm.role', 'in', derivingRoles),
    )
    .execute();
  return rows.map((row) => row.user_id);
}

export type RoleRow = ListsTable & { member_role: ListRole | null; workspace_role: WorkspaceRole | null };

export function toListAccess(row: RoleRow): ListAccess | undefined {
  const { member_role, workspace_role, ...list } = row;
  const role = effectiveListRole(member_role, workspace_role);
  return role ? { list, role, memberRole: member_role, workspaceRole: workspace_role } : undefined;
}

// Prepared: every list and task request runs it (see prepared-query.ts).
const listAccessQuery = preparedQuery((db, args: { listId: string; userId: string }) => selectListsWithRoles(db, args.userId).where('l.id', '=', args.listId));

export async function findListAccess(db: Kysely<Database>, listId: string, userId: string): Promise<ListAccess | undefined> {
  const row = await listAccessQuery.executeTakeFirst(db, { listId, userId });
  return row ? toListAccess(row) : undefined;
}

/** Users asked about per query by `findListAccessOfUsers`: well under either database's limit on parameters. */
const accessBatch = 500;

/**
 * What each of `userIds` may do on one list, and the list as it is now (undefined once it is gone): for a check of many
 * subscribers at once (the real-time catch-up after an outage), a few queries per list instead of one per user.
 * Users with no access are missing from `roles`.
 */
export async function findListAccessOfUsers(
  db: Kysely<Database>,
  listId: string,
  userIds: readonly string[],
): Promise<{ list: ListsTable; roles: Map<string, ListRole> } | undefined> {
  const row = await db
    .selectFrom('lists as l')
    .leftJoin('workspaces as w', (join) => join.onRef('w.id', '=', 'l.workspace_id').on('w.kind', '=', 'team'))
    .selectAll('l')
    .select('w.id as team_workspace_id')
    .where('l.id', '=', listId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { team_workspace_id: teamWorkspaceId, ...list } = row;
  const roles = new Map<string, ListRole>();
  const unique = [...new Set(userIds)];
  for (let start = 0; start < unique.length; start += accessBatch) {
    const batch = unique.slice(start, start + accessBatch);
    const memberRoles = new Map(
      (await db.selectFrom('list_members').select(['user_id', 'role']).where('list_id', '=', listId).where('user_id', 'in', batch).execute()).map((member) => [
        member.user_id,
        member.role as ListRole,
      ]),
    );
    const teamRoles = new Map(
      teamWorkspaceId === null
        ? []
        : (
            await db
              .selectFrom('workspace_members')
              .select(['user_id', 'role'])
              .where('workspace_id', '=', teamWorkspaceId)
              .where('user_id', 'in', batch)
              .execute()
          ).map((member) => [member.user_id, member.role as WorkspaceRole]),
    );
    for (const userId of batch) {
      const role = effectiveListRole(memberRoles.get(userId), teamRoles.get(userId));
      if (role) roles.set(userId, role);
    }
  }
  return { list: list as ListsTable, roles };
}

/**
 * The user's role on each of these lists that still exists: null where they have none. Lists that no longer exist are
 * missing from the map.
 */
export async function findListRolesOfUser(db: Kysely<Database>, userId: string, listIds: readonly string[]): Promise<Map<string, ListRole | null>> {
  if (listIds.length === 0) return new Map();
  const rows = await selectListsWithRoles(db, userId).where('l.id', 'in', listIds).execute();
  return new Map(rows.map((row) => [row.id, toListAccess(row)?.role ?? null]));
}

export const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/*
 * The same access check for a change, which on PostgreSQL also takes the list's write lock
 * (`for update of l`, the lock `ActivityRecorder.lockList` takes) in the same round trip. Every change
 * of a list holds that lock until commit, so positions and versions never race. SQLite has one writer.
 */
const lockedListAccessQuery = preparedQuery((db, args: { listId: string; userId: string }) => {
  const query = selectListsWithRoles(db, args.userId).where('l.id', '=', args.listId);
  return isPostgres(db) ? query.forUpdate('l') : query;
});

/** `authorizeList` for a change: locks the list (PostgreSQL) in the same query. */
export async function authorizeListChange(db: Kysely<Database>, userId: string, listId: string, action: ListAction, what = 'List'): Promise<ListAccess> {
  const row = await lockedListAccessQuery.executeTakeFirst(db, { listId, userId });
  return allowed(row ? toListAccess(row) : undefined, action, what);
}

/** The user's access to each list of one workspace they can see (for changes of workspace membership). */
export async function findWorkspaceListAccess(db: Kysely<Database>, workspaceId: string, userId: string): Promise<Map<string, ListAccess>> {
  const rows = await selectListsWithRoles(db, userId).where('l.workspace_id', '=', workspaceId).execute();
  const access = new Map<string, ListAccess>();
  for (const row of rows) {
    const found = toListAccess(row);
    if (found) access.set(found.list.id, found);
  }
  return access;
}

export async function authorizeList(db: Kysely<Database>, userId: string, listId: string, action: ListAction, what = 'List'): Promise<ListAccess> {
  return allowed(await findListAccess(db, listId, userId), action, what);
}

/** No access is 404 (as if the list did not exist); access without the permission is 403. */
function allowed(access: ListAccess | undefined, action: ListAction, what: string): ListAccess {
  if (!access) throw notFound(what);
  if (!can(access.role, action)) throw forbidden(`Your role (${access.role}) cannot ${listActionWords[action]}`);
  return access;
}
