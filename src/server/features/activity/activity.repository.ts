import { sql, type Kysely } from 'kysely';
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

/** Events newest first, by (at, id), for one list or one workspace. */
export function listActivityEvents(db: Kysely<Database>, filter: HistoryFilter) {
  let query = db.selectFrom('activity_events as e').leftJoin('users as u', 'u.id', 'e.actor_id').selectAll('e').select('u.name as actor_name');
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
  return query
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
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
