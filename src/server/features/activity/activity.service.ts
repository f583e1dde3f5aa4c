/** Reading the activity history: per list for its members, per workspace for its admins (of the lists they can see). */
import { actorNameFor, eventDataFor, type ActivityType } from '../../../core/activity.js';
import { can } from '../../../core/permissions.js';
import type { ActivityEvent } from '../../../core/schemas/activity.js';
import type { Page } from '../../../core/schemas/common.js';
import type { AppContext } from '../../context.js';
import type { ActivityEventsTable } from '../../db/schema.js';
import { decodeCursor, pageAfter } from '../../http/cursor.js';
import { authorizeList } from '../lists/list-access.js';
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
  async function page(
    filter: Omit<HistoryFilter, 'before' | 'limit'>,
    query: { limit: number; cursor?: string | undefined },
    readerMayInvite: boolean,
  ): Promise<Page<ActivityEvent>> {
    const before = decodeCursor(query.cursor, 2);
    const rows = await listActivityEvents(db.kysely, {
      ...filter,
      before: before ? { at: String(before[0]), id: String(before[1]) } : null,
      limit: query.limit,
    });
    const result = pageAfter(rows, (r) => [r.at, r.id]);
    return { items: result.items.map((row) => presentEvent(row, readerMayInvite)), nextCursor: result.nextCursor };
  }

  return {
    async listListActivity(userId: string, listId: string, query: { limit: number; cursor?: string | undefined }) {
      const { role } = await authorizeList(db.kysely, userId, listId, 'activity.read');
      return page({ listId }, query, can(role, 'member.invite'));
    },

    async listWorkspaceActivity(userId: string, workspaceId: string, query: { limit: number; cursor?: string | undefined }) {
      const { workspace } = await authorizeWorkspace(db.kysely, userId, workspaceId, 'workspace.activity.read');
      // Only what the caller may read: a list of a personal workspace can be handed to someone who then removes
      // its owner, and what happens on it since is not the owner's to read.
      // Workspace admins may invite to every list of it.
      return page({ workspaceId, readableBy: { userId, deletedLists: workspace.kind === 'team' ? 'all' : 'deleted-by-me' } }, query, true);
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
