/** Reading the activity history: per list for its members, per workspace for its admins (of the lists they can see). */
import { actorNameFor, eventDataFor, type ActivityType } from '../../../core/activity.js';
import { can } from '../../../core/permissions.js';
import type { ActivityEvent } from '../../../core/schemas/activity.js';
import type { Page } from '../../../core/schemas/common.js';
import type { AppContext } from '../../context.js';
import type { ActivityEventsTable } from '../../db/schema.js';
import { decodeCursor, pageAfter } from '../../http/cursor.js';
import { authorizeList, findListRolesOfUser } from '../lists/list-access.js';
import { authorizeWorkspace } from '../workspaces/workspace-access.js';
import { listActivityEvents, type HistoryFilter } from './activity.repository.js';

const presentEvent = (row: ActivityEventsTable & { actor_name: string | null }, readerMayInvite: boolean): ActivityEvent => ({
  id: row.id,
  type: row.type as ActivityType,
  actorId: row.actor_id,
  actorName: actorNameFor(row.type as ActivityType, row.actor_name, readerMayInvite),
  at: row.at,
  workspaceId: row.workspace_id,
  listId: row.list_id,
  taskId: row.task_id,
  version: row.list_version === null ? null : Number(row.list_version),
  data: eventDataFor(row.type as ActivityType, JSON.parse(row.data) as Record<string, unknown>, readerMayInvite),
});

export function createActivityService({ db }: AppContext) {
  /** `readerMayInvite`: for the page's events, whether the reader may invite to the event's list (sees whom invitations went to). */
  async function page(
    filter: Omit<HistoryFilter, 'before' | 'limit'>,
    query: { limit: number; cursor?: string | undefined },
    readerMayInvite: boolean | ((rows: readonly ActivityEventsTable[]) => Promise<(row: ActivityEventsTable) => boolean>),
  ): Promise<Page<ActivityEvent>> {
    const before = decodeCursor(query.cursor, 2);
    const rows = await listActivityEvents(db.kysely, {
      ...filter,
      before: before ? { at: String(before[0]), id: String(before[1]) } : null,
      limit: query.limit,
    });
    const result = pageAfter(rows, (r) => [r.at, r.id]);
    const mayInvite = typeof readerMayInvite === 'boolean' ? () => readerMayInvite : await readerMayInvite(result.items);
    return { items: result.items.map((row) => presentEvent(row, mayInvite(row))), nextCursor: result.nextCursor };
  }

  /**
   * In a personal workspace its owner has no role on its lists as such: a list handed to someone else may have
   * demoted them to viewer, and whom that list's invitations went to is not theirs to read. So per event, from the
   * reader's role on its list now; a list gone is one they deleted themselves (only those are shown), as its owner.
   */
  const mayInviteByListRole = (userId: string) => async (rows: readonly ActivityEventsTable[]) => {
    const listIds = [...new Set(rows.map((row) => row.list_id).filter((id): id is string => id !== null))];
    const roles = await findListRolesOfUser(db.kysely, userId, listIds);
    return (row: ActivityEventsTable) => {
      if (row.list_id === null || !roles.has(row.list_id)) return true;
      const role = roles.get(row.list_id);
      return role !== null && role !== undefined && can(role, 'member.invite');
    };
  };

  return {
    async listListActivity(userId: string, listId: string, query: { limit: number; cursor?: string | undefined }) {
      const { role } = await authorizeList(db.kysely, userId, listId, 'activity.read');
      return page({ listId }, query, can(role, 'member.invite'));
    },

    async listWorkspaceActivity(userId: string, workspaceId: string, query: { limit: number; cursor?: string | undefined }) {
      const { workspace } = await authorizeWorkspace(db.kysely, userId, workspaceId, 'workspace.activity.read');
      // Only what the caller may read: a list of a personal workspace can be handed to someone who then removes
      // its owner, and what happens on it since is not the owner's to read.
      // A team's admins may invite to every list of it; a personal workspace's owner, per list (`mayInviteByListRole`).
      const team = workspace.kind === 'team';
      return page({ workspaceId, readableBy: { userId, deletedLists: team ? 'all' : 'deleted-by-me' } }, query, team ? true : mayInviteByListRole(userId));
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
