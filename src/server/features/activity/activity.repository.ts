import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface HistoryFilter {
  listId?: string;
  workspaceId?: string;
  /** Sort key (at, id) of the last event of the previous page. */
  before: { at: string; id: string } | null;
  limit: number;
}

/** Events newest first, by (at, id), for one list or one workspace. */
export function listActivityEvents(db: Kysely<Database>, filter: HistoryFilter) {
  let query = db.selectFrom('activity_events as e').leftJoin('users as u', 'u.id', 'e.actor_id').selectAll('e').select('u.name as actor_name');
  if (filter.listId) query = query.where('e.list_id', '=', filter.listId);
  if (filter.workspaceId) query = query.where('e.workspace_id', '=', filter.workspaceId);
  if (filter.before) {
    const { at, id } = filter.before;
    query = query.where((eb) => eb.or([eb('e.at', '<', at), eb.and([eb('e.at', '=', at), eb('e.id', '<', id)])]));
  }
  return query.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(filter.limit + 1).execute();
}
