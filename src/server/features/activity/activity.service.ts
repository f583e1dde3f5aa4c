/** Reading the activity history: per list for its members, per workspace for its admins (of the lists they can see). */
import type { ActivityType } from '../../../core/activity.js';
import type { ActivityEvent } from '../../../core/schemas/activity.js';
import type { Page } from '../../../core/schemas/common.js';
import type { AppContext } from '../../context.js';
import type { ActivityEventsTable } from '../../db/schema.js';
import { decodeCursor, toPage } from '../../http/cursor.js';
import { authorizeList } from '../lists/list-access.js';
import { authorizeWorkspace } from '../workspaces/workspace-access.js';
import { listActivityEvents, type HistoryFilter } from './activity.repository.js';

const presentEvent = (row: ActivityEventsTable & { actor_name: string | null }): ActivityEvent => ({
  id: row.id,
  type: row.type as ActivityType,
  actorId: row.actor_id,
  actorName: row.actor_name,
  at: row.at,
  workspaceId: row.workspace_id,
  listId: row.list_id,
  taskId: row.task_id,
  version: row.list_version === null ? null : Number(row.list_version),
  data: JSON.parse(row.data) as Record<string, unknown>,
});

export function createActivityService({ db }: AppContext) {
  async function page(filter: Omit<HistoryFilter, 'before' | 'limit'>, query: { limit: number; cursor?: string | undefined }): Promise<Page<ActivityEvent>> {
    const before = decodeCursor(query.cursor, 2);
    const rows = await listActivityEvents(db.kysely, { ...filter, before: before ? { at: String(before[0]), id: String(before[1]) } : null, limit: query.limit });
    const result = toPage(rows, query.limit, (r) => [r.at, r.id]);
    return { items: result.items.map(presentEvent), nextCursor: result.nextCursor };
  }

  return {
    async listListActivity(userId: string, listId: string, query: { limit: number; cursor?: string | undefined }) {
      await authorizeList(db.kysely, userId, listId, 'activity.read');
      return page({ listId }, query);
    },

    async listWorkspaceActivity(userId: string, workspaceId: string, query: { limit: number; cursor?: string | undefined }) {
      const { workspace } = await authorizeWorkspace(db.kysely, userId, workspaceId, 'workspace.activity.read');
      // Only what the caller may read: a list of a personal workspace can be handed to someone who then removes
      // its owner, and what happens on it since is not the owner's to read.
      return page({ workspaceId, readableBy: { userId, deletedLists: workspace.kind === 'team' ? 'all' : 'deleted-by-me' } }, query);
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
