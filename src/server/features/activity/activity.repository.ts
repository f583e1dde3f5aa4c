import { sql, type Kysely } from 'kysely';
import { limits } from '../../../core/limits.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { Database } from '../../db/schema.js';
import { accessibleListIds } from '../lists/list-access.js';

export interface HistoryFilter {
  listId?: string;
  workspaceId?: string;
  /**
   * Only events this user may read: of no list, of a list they can see now, or of a list that no longer exists, if
   * `deletedLists` says whose history that is: every admin's (a team's admins saw every list), or only the one who
   * deleted it (in a personal workspace, a list handed to someone else may have shut its owner out).
   */
  readableBy?: { userId: string; deletedLists: 'all' | 'deleted-by-me' };
  /** Sort key (at, id) of the last event of the previous page. */
  before: { at: string; id: string } | null;
  limit: number;
}

/** The events `filter` selects, for one list or one workspace (no columns chosen yet). */
function historyQuery(db: Kysely<Database>, filter: HistoryFilter) {
  let query = db.selectFrom('activity_events as e');
  if (filter.listId) query = query.where('e.list_id', '=', filter.listId);
  if (filter.workspaceId) query = query.where('e.workspace_id', '=', filter.workspaceId);
  const readableBy = filter.readableBy;
  if (readableBy) {
    query = query.where((eb) => {
      const gone = eb.not(eb.exists(eb.selectFrom('lists as l').select('l.id').whereRef('l.id', '=', 'e.list_id')));
      const deletedByMe = eb.exists(
        eb
          .selectFrom('activity_events as d')
          .select('d.id')
          .whereRef('d.list_id', '=', 'e.list_id')
          .where('d.type', '=', 'list.deleted')
          .where('d.actor_id', '=', readableBy.userId),
      );
      return eb.or([
        eb('e.list_id', 'is', null),
        eb('e.list_id', 'in', accessibleListIds(db, readableBy.userId)),
        readableBy.deletedLists === 'all' ? gone : eb.and([gone, deletedByMe]),
      ]);
    });
  }
  if (filter.before) {
    const { at, id } = filter.before;
    query = query.where((eb) => eb.or([eb('e.at', '<', at), eb.and([eb('e.at', '=', at), eb('e.id', '<', id)])]));
  }
  return query.orderBy('e.at', 'desc').orderBy('e.id', 'desc');
}

/**
 * Events newest first, by (at, id), for one list or one workspace: at most `limit`, and fewer when they would weigh
 * more than `limits.activityPageBytes` (an event carries the whole task it changed, up to a megabyte; 500 of them made
 * half a gigabyte of JSON). Their sizes are read first (`octet_length`, not the data), then only the events that fit;
 * `more` when some were left for the next page. A page always holds one event.
 */
export async function listActivityEvents(db: Kysely<Database>, filter: HistoryFilter) {
  const weighed = await historyQuery(db, filter)
    .select(['e.id', sql<number | string>`octet_length(e.data)`.as('bytes')])
    .limit(filter.limit + 1)
    .execute();
  let end = 0;
  let bytes = 0;
  while (end < weighed.length && end < filter.limit) {
    bytes += Number(weighed[end]!.bytes) + limits.activityEventFieldBytes;
    if (end > 0 && bytes > limits.activityPageBytes) break;
    end++;
  }
  const ids = weighed.slice(0, end).map((row) => row.id);
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('activity_events as e')
          .leftJoin('users as u', 'u.id', 'e.actor_id')
          .selectAll('e')
          .select('u.name as actor_name')
          .where('e.id', 'in', ids)
          .orderBy('e.at', 'desc')
          .orderBy('e.id', 'desc')
          .execute();
  return { rows, more: weighed.length > end };
}

/*
 * Whether `actorId` already changed a task or a list in a request with this `Idempotency-Key` (`mutationId`): then
 * this request is its retry, and is not made again (`TaskForChange.mutationApplied`). Asked in a statement of its own,
 * after the one that locks the task or list: on PostgreSQL a statement sees what had committed when it began, so asked
 * within the locking statement it missed a first try that committed while the lock was waited for.
 */

// Prepared (see prepared-query.ts): every keyed task edit asks it.
const taskChangedQuery = preparedQuery((db, args: { taskId: string; actorId: string; mutationId: string }) =>
  db
    .selectFrom('activity_events')
    .select('id')
    .where('mutation_id', '=', args.mutationId)
    .where('actor_id', '=', args.actorId)
    .where('task_id', '=', args.taskId)
    .limit(sql.lit(1)),
);

export async function taskChangedUnderMutation(db: Kysely<Database>, args: { taskId: string; actorId: string; mutationId: string }): Promise<boolean> {
  return (await taskChangedQuery.executeTakeFirst(db, args)) !== undefined;
}

export async function listChangedUnderMutation(db: Kysely<Database>, args: { listId: string; actorId: string; mutationId: string }): Promise<boolean> {
  const found = await db
    .selectFrom('activity_events')
    .select('id')
    .where('mutation_id', '=', args.mutationId)
    .where('actor_id', '=', args.actorId)
    .where('list_id', '=', args.listId)
    .executeTakeFirst();
  return found !== undefined;
}
