import { sql, type Kysely, type QueryCreator, type SelectQueryBuilder } from 'kysely';
import { AppError } from '../../../core/errors.js';
import { limits } from '../../../core/limits.js';
import type { Db } from '../../db/database.js';
import { preparedQuery, type PreparedQuery } from '../../db/prepared-query.js';
import type { Database, TasksTable } from '../../db/schema.js';
import { taskChangedUnderMutation } from '../activity/activity.repository.js';
import { deleteNotificationsOfTasks } from '../notifications/notification.repository.js';
import { accessibleListIds, isPostgres, selectListsWithRoles, toListAccess, type ListAccess, type RoleRow } from '../lists/list-access.js';

// The statements every task write runs are prepared (built once, see prepared-query.ts).

export const taskColumns = Object.keys({
  id: true,
  workspace_id: true,
  list_id: true,
  title: true,
  notes: true,
  completed_at: true,
  completed_by: true,
  due_date: true,
  due_time_zone: true,
  recurrence: true,
  priority: true,
  position: true,
  assignee_id: true,
  blocks: true,
  search_text: true,
  created_by: true,
  created_at: true,
  updated_at: true,
  deleted_at: true,
  deleted_by: true,
} satisfies Record<keyof TasksTable, true>) as (keyof TasksTable)[];

const pick = <T extends object>(row: T, columns: readonly (keyof T)[]) => Object.fromEntries(columns.map((column) => [column, row[column]])) as T;

/** The INSERT of a task, on its own or inside a larger statement (`activity.recorder.ts`). */
export const insertTaskStatement = (db: QueryCreator<Database>, task: TasksTable) => db.insertInto('tasks').values(pick(task, taskColumns));
const insertTaskQuery = preparedQuery((db, task: TasksTable) => insertTaskStatement(db, task));
export const insertTask = (db: Kysely<Database>, task: TasksTable) => insertTaskQuery.run(db, task);

const findTaskQuery = preparedQuery((db, args: { id: string }) => db.selectFrom('tasks').selectAll().where('id', '=', args.id));
export const findTask = (db: Kysely<Database>, id: string) => findTaskQuery.executeTakeFirst(db, { id });

/*
 * A task with the caller's access to its list, for a change. On PostgreSQL both rows are locked in the
 * same round trip (`for update of l, t`: the list first, the order every task write takes them in),
 * and a row locked after a wait is re-read at its latest committed version, so the task returned is
 * the one this change will overwrite. SQLite has one writer.
 */
const taskAsColumns = taskColumns.map((column) => `t.${column} as task_${column}` as const);
const lockedTaskWithAccessQuery = preparedQuery((db, args: { taskId: string; userId: string }) => {
  const query = selectListsWithRoles(db, args.userId)
    .innerJoin('tasks as t', 't.list_id', 'l.id')
    .select(taskAsColumns as unknown as 't.id'[])
    .where('t.id', '=', args.taskId);
  return isPostgres(db) ? query.forUpdate(['l', 't']) : query;
});

export interface TaskForChange {
  task: TasksTable;
  /**
   * The caller already changed this task in a request with this `Idempotency-Key`: this one is its retry (its
   * answer was lost), and making the change again would undo what others did since. Found by the key of the
   * changes recorded (`activity_events.mutation_id`), so a request that changed nothing is not found.
   */
  mutationApplied: boolean;
}

/**
 * The task and the caller's access to its list (undefined: no access), both locked on PostgreSQL.
 * Undefined when the task does not exist, or moved to another list while this waited for the lock.
 */
export async function findTaskForChange(
  db: Kysely<Database>,
  taskId: string,
  userId: string,
  mutationId: string | null = null,
): Promise<(TaskForChange & { access: ListAccess | undefined }) | undefined> {
  const row = (await lockedTaskWithAccessQuery.executeTakeFirst(db, { taskId, userId })) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const task: Record<string, unknown> = {};
  const listWithRoles: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name.startsWith('task_')) task[name.slice('task_'.length)] = value;
    else listWithRoles[name] = value;
  }
  const access = toListAccess(listWithRoles as unknown as RoleRow);
  const mutationApplied = mutationId !== null && access !== undefined && (await taskChangedUnderMutation(db, { taskId, actorId: userId, mutationId }));
  return { task: task as unknown as TasksTable, mutationApplied, access };
}

/**
 * `findTaskForChange`, following a task that moved to another list while this waited for the lock: the
 * task and the caller's access to the list it is in now, both locked (PostgreSQL). Undefined when the
 * task does not exist or the caller cannot see its list; 409 when it moved on three times in a row.
 */
export async function lockTaskForChange(
  db: Kysely<Database>,
  taskId: string,
  userId: string,
  mutationId: string | null = null,
): Promise<(TaskForChange & ListAccess) | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await findTaskForChange(db, taskId, userId, mutationId);
    if (found) return found.access ? { task: found.task, mutationApplied: found.mutationApplied, ...found.access } : undefined;
    if (!(await findTask(db, taskId))) return undefined; // gone, not moved
  }
  // It exists but kept moving: a 404 would tell the client it is gone.
  throw new AppError('conflict', 'The task was moved to other lists while this waited for it; try again');
}

/** The columns `changes` sets (undefined means unchanged), in a stable order: a key for prepared UPDATEs. */
export const changedTaskColumns = (changes: Partial<TasksTable>) =>
  (Object.keys(changes) as (keyof TasksTable)[]).filter((column) => changes[column] !== undefined).sort();

/** One prepared UPDATE per set of changed columns (a handful: the task service changes fixed groups). */
const updateTaskQueries = new Map<string, PreparedQuery<Partial<TasksTable> & { id: string }, unknown>>();

export function updateTaskRow(db: Kysely<Database>, id: string, changes: Partial<TasksTable>) {
  const columns = changedTaskColumns(changes);
  const key = columns.join(',');
  let query = updateTaskQueries.get(key);
  if (!query) {
    query = preparedQuery((db, args: Partial<TasksTable> & { id: string }) => db.updateTable('tasks').set(pick(args, columns)).where('id', '=', args.id));
    updateTaskQueries.set(key, query);
  }
  return query.run(db, { ...changes, id });
}

// `limit 1` written into the SQL, not bound: SQLite walks the index about twice as fast with a known limit.
const oneRow = sql.lit(1);

const lastTaskPositionQuery = preparedQuery((db, args: { listId: string }) =>
  db.selectFrom('tasks').select('position').where('list_id', '=', args.listId).orderBy('position', 'desc').limit(oneRow),
);
/** Highest position in the list, deleted tasks included, so a restored task keeps a unique place. */
export async function lastTaskPosition(db: Kysely<Database>, listId: string): Promise<string | null> {
  return (await lastTaskPositionQuery.executeTakeFirst(db, { listId }))?.position ?? null;
}

/** The live task next to `position` in the list (after or before it), skipping `excludeId`. */
export async function neighbourTaskPosition(
  db: Kysely<Database>,
  listId: string,
  position: string,
  direction: 'after' | 'before',
  excludeId: string | null,
): Promise<string | null> {
  let query = db
    .selectFrom('tasks')
    .select('position')
    .where('list_id', '=', listId)
    .where('deleted_at', 'is', null)
    .where('position', direction === 'after' ? '>' : '<', position);
  if (excludeId) query = query.where('id', '!=', excludeId);
  const row = await query
    .orderBy('position', direction === 'after' ? 'asc' : 'desc')
    .limit(oneRow)
    .executeTakeFirst();
  return row?.position ?? null;
}

/**
 * The trash's one cutoff: a task deleted before it (`limits.trashRetentionDays` ago) is as good as purged, whether or
 * not the hourly purge (`jobs/maintenance.ts`) has run yet: it is not listed, read or restored. ISO stamps compare as text.
 */
export const trashCutoff = (now: Date) => new Date(now.getTime() - limits.trashRetentionDays * 86_400_000).toISOString();

/** Whether a deleted task is past the trash's retention (`trashCutoff`). */
export const isPastTrashRetention = (task: Pick<TasksTable, 'deleted_at'>, now: Date) => task.deleted_at !== null && task.deleted_at < trashCutoff(now);

/** A task as pages of tasks read it: without `search_text`, which no answer shows (it is as long as the text again). */
export type TaskRow = Omit<TasksTable, 'search_text'>;

/** One page of tasks: its rows, and whether more follow (past `limit`, or past the page's byte budget). */
export interface TaskPageRows {
  rows: TaskRow[];
  more: boolean;
}

const taskPageColumns = taskColumns.filter((column) => column !== 'search_text').map((column) => `tasks.${column}` as const);

/**
 * What a task weighs in a page (`limits.taskPageBytes`): its text as stored, plus the allowance for its other fields;
 * never more than the budget, so the first task of a page always fits (a page holds at least one). `octet_length`
 * reads only lengths (SQLite's record header, PostgreSQL's TOAST pointer), never the text: 0.2 ms for 500 tasks of
 * 1 MB on SQLite, where `length`, which counts characters, took 350 ms.
 */
function taskBytes(db: Kysely<Database>) {
  const bytes = sql`octet_length(tasks.title) + octet_length(tasks.notes) + octet_length(tasks.blocks) + octet_length(tasks.position) + ${sql.lit(limits.taskPageFieldBytes)}`;
  const budget = sql.lit(limits.taskPageBytes);
  return isPostgres(db) ? sql<number>`least(${bytes}, ${budget})` : sql<number>`min(${bytes}, ${budget})`;
}

/** The order of a page of tasks: its key columns, each with its direction (together unique). */
type TaskOrder = readonly (readonly ['position' | 'id' | 'due_date' | 'priority', 'asc' | 'desc'])[];
const byPosition: TaskOrder = [
  ['position', 'asc'],
  ['id', 'asc'],
];
const byId: TaskOrder = [['id', 'asc']];
const byIdDescending: TaskOrder = [['id', 'desc']];
/** Soonest first: `YYYY-MM-DD` sorts before the same day's `YYYY-MM-DDTHH:mm` (all-day, then by time), then priority 1 to 4. */
const byDueDate: TaskOrder = [
  ['due_date', 'asc'],
  ['priority', 'asc'],
  ['id', 'asc'],
];

/** A row of `taskPageQuery`: the task, and the running sum of the page's weights through it (int8 text on PostgreSQL). */
type WeighedTaskRow = TaskRow & { through: number | string };

/**
 * The tasks `filtered` selects, in `order`, for a page of at most `limit` that stops before `limits.taskPageBytes`.
 * The first `limit + 1` keys are read with their weights (`taskBytes`), a running sum over them tells where the budget
 * ends, and only the tasks that start within it are read whole: a list of a thousand tasks of 1 MiB costs 8 MiB, not a
 * gigabyte. One statement, so one snapshot. The rows come unordered, each with its running sum (`toTaskPage`).
 */
function taskPageQuery(db: Kysely<Database>, filtered: SelectQueryBuilder<Database, 'tasks', object>, order: TaskOrder, limit: number) {
  // SQLite finds a row by rowid in one search, by id in two (the primary key's index, then the table).
  const rowKey = isPostgres(db) ? sql<string>`tasks.id` : sql<string>`tasks.rowid`;
  const keyColumns = [...new Set(['id' as const, ...order.map(([column]) => column)])].map((column) => `tasks.${column}` as const);
  let keys = filtered.select([...keyColumns, taskBytes(db).as('bytes'), rowKey.as('row_key')]);
  for (const [column, direction] of order) keys = keys.orderBy(`tasks.${column}`, direction);
  const windowOrder = sql.join(order.map(([column, direction]) => sql`${sql.ref(`page.${column}`)} ${sql.raw(direction)}`));
  const weighed = db
    .selectFrom(keys.limit(limit + 1).as('page'))
    .select(['page.row_key', 'page.bytes', sql<number | string>`sum(page.bytes) over (order by ${windowOrder})`.as('through')]);
  return db
    .selectFrom(weighed.as('weighed'))
    .innerJoin('tasks', (join) => join.on(rowKey, '=', sql.ref('weighed.row_key')))
    .select([...taskPageColumns, 'weighed.through'])
    .where(sql<number>`weighed.through - weighed.bytes`, '<=', limits.taskPageBytes);
}

/**
 * The page out of `taskPageQuery`'s rows: put in order here, by running sum (in SQL the database would sort the whole
 * rows), as many as fit `limit` and the budget; more follow when a row was left over (the one past `limit`, or the one
 * that crosses the budget).
 */
function toTaskPage(found: WeighedTaskRow[], limit: number): TaskPageRows {
  const weighed = found.map((row) => ({ row, through: Number(row.through) })).sort((a, b) => a.through - b.through);
  let end = 0;
  while (end < weighed.length && end < limit && weighed[end]!.through <= limits.taskPageBytes) end++;
  return { rows: weighed.slice(0, end).map(({ row }) => row), more: weighed.length > end };
}

async function readTaskPage(db: Kysely<Database>, filtered: SelectQueryBuilder<Database, 'tasks', object>, order: TaskOrder, limit: number) {
  return toTaskPage(await taskPageQuery(db, filtered, order, limit).execute(), limit);
}

export interface TaskFilter {
  listId: string;
  /** The trash, with the time it is read at: tasks past its retention are left out (`trashCutoff`). */
  deleted: false | { now: Date };
  done?: boolean | undefined;
  after?: { position: string; id: string } | null;
  limit: number;
}

/** A task's position, if it is (still) in the list, trashed or not: where a page of the list's tasks resumes after it. */
export async function findTaskPositionInList(db: Kysely<Database>, listId: string, taskId: string): Promise<string | undefined> {
  return (await db.selectFrom('tasks').select('position').where('id', '=', taskId).where('list_id', '=', listId).executeTakeFirst())?.position;
}

export function listTasksOfList(db: Kysely<Database>, filter: TaskFilter): Promise<TaskPageRows> {
  let query = db
    .selectFrom('tasks')
    .where('list_id', '=', filter.listId)
    .where('deleted_at', filter.deleted ? 'is not' : 'is', null);
  // Only the trash needs the cutoff: the live tasks' query (the hot path) stays as it is.
  if (filter.deleted) query = query.where('deleted_at', '>=', trashCutoff(filter.deleted.now));
  if (filter.done !== undefined) query = query.where('completed_at', filter.done ? 'is not' : 'is', null);
  if (filter.after) {
    const { position, id } = filter.after;
    query = query.where((eb) => eb.or([eb('position', '>', position), eb.and([eb('position', '=', position), eb('id', '>', id)])]));
  }
  return readTaskPage(db, query, byPosition, filter.limit);
}

/**
 * Empties the trash of the tasks deleted before `deletedBefore`. Their comments and upload references go by cascade
 * (the uploads are released by the next sweep, `correctReleases`); their notifications ("assigned", "mentioned":
 * `task_id` has no foreign key) are deleted here, or they would stay, unread, quoting the task and its comments and
 * pointing at a 404. Activity events stay: they are the history and what billing counts. Nothing is published, as
 * when a move takes a task's notifications away from someone (`moveNotificationsOfTask`).
 *
 * In batches of `batchSize` tasks, each with its notifications in one transaction, oldest deletion first, with a
 * turn of the event loop between batches: in one statement, 200,000 expired tasks held SQLite's event loop for
 * 780 ms (and would run into PostgreSQL's statement timeout). The batches are found through `tasks_deleted_at`
 * (0008), so a run that finds little to purge reads little, however many live tasks there are. Each batch deletes
 * what it found, unless restored meanwhile (and so no longer expired): no cursor is needed, and the walk ends.
 * Returns how many tasks it purged.
 */
export async function purgeDeletedTasks(database: Db, deletedBefore: string, batchSize = 1_000): Promise<number> {
  let purged = 0;
  for (;;) {
    const found = await database.transaction(async (tx) => {
      const taskIds = (await expiredTasksBatch(tx, deletedBefore, batchSize).execute()).map((row) => row.id);
      if (taskIds.length === 0) return 0;
      // Still expired when deleted (not restored meanwhile).
      const expired = tx.selectFrom('tasks').select('id').where('id', 'in', taskIds).where('deleted_at', '<', deletedBefore);
      await deleteNotificationsOfTasks(tx, expired);
      await tx.deleteFrom('tasks').where('id', 'in', taskIds).where('deleted_at', '<', deletedBefore).execute();
      return taskIds.length;
    });
    purged += found;
    if (found < batchSize) return purged;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The query of one purge batch: the oldest `limit` tasks deleted before `deletedBefore` (exported for its plan's test). */
export function expiredTasksBatch(db: Kysely<Database>, deletedBefore: string, limit: number) {
  return db.selectFrom('tasks').select('id').where('deleted_at', '<', deletedBefore).orderBy('deleted_at').orderBy('id').limit(limit);
}

/** Live tasks assigned to the user on lists they can still see, oldest first by id. */
export function listTasksAssignedTo(
  db: Kysely<Database>,
  filter: { userId: string; done?: boolean | undefined; afterId: string | null; limit: number },
): Promise<TaskPageRows> {
  let query = db
    .selectFrom('tasks')
    .where('assignee_id', '=', filter.userId)
    .where('deleted_at', 'is', null)
    .where('list_id', 'in', accessibleListIds(db, filter.userId));
  if (filter.done !== undefined) query = query.where('completed_at', filter.done ? 'is not' : 'is', null);
  if (filter.afterId) query = query.where('id', '>', filter.afterId);
  return readTaskPage(db, query, byId, filter.limit);
}

/**
 * Open tasks with a due date on lists the user can see, archived lists left out, soonest first (`byDueDate`): due on or
 * before the day `through` when given (a due date's first ten characters are its calendar day), in one workspace, or
 * assigned to the user, when asked. Resumes after the key `(due_date, priority, id)` of the last task read.
 */
export async function listDueTasks(db: Kysely<Database>, filter: DueTasksFilter): Promise<TaskPageRows> {
  return toTaskPage(await dueTasksPageQuery(db, filter).execute(), filter.limit);
}

export interface DueTasksFilter {
  userId: string;
  through?: string | undefined;
  workspaceId?: string | undefined;
  assignedToUser: boolean;
  after: { dueDate: string; priority: number; id: string } | null;
  limit: number;
}

/** The statement of `listDueTasks` (exported for its plan's test: it reads `tasks_open_due`, migration 0015). */
export function dueTasksPageQuery(db: Kysely<Database>, filter: DueTasksFilter) {
  let query = db
    .selectFrom('tasks')
    .where('tasks.deleted_at', 'is', null)
    .where('tasks.completed_at', 'is', null)
    .where('tasks.due_date', 'is not', null)
    // The caller's lists that are not archived: only their rows of `lists` are read, never every archived list.
    .where(
      'tasks.list_id',
      'in',
      db.selectFrom('lists').select('lists.id').where('lists.id', 'in', accessibleListIds(db, filter.userId)).where('lists.archived_at', 'is', null),
    );
  if (filter.through) query = query.where(sql<string>`substr(tasks.due_date, 1, 10)`, '<=', filter.through);
  if (filter.workspaceId) query = query.where('tasks.workspace_id', '=', filter.workspaceId);
  if (filter.assignedToUser) query = query.where('tasks.assignee_id', '=', filter.userId);
  if (filter.after) {
    const { dueDate, priority, id } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('tasks.due_date', '>', dueDate),
        eb.and([eb('tasks.due_date', '=', dueDate), eb('tasks.priority', '>', priority)]),
        eb.and([eb('tasks.due_date', '=', dueDate), eb('tasks.priority', '=', priority), eb('tasks.id', '>', id)]),
      ]),
    );
  }
  return taskPageQuery(db, query, byDueDate, filter.limit);
}

/**
 * Whether `search_text` holds `term`. Not `like '%…%'`: it costs up to the pattern's length at every place a match
 * could start (0.8 s for a 64-character term over 20 MB of 'a's on SQLite, where it blocks the server's one thread),
 * while `instr`/`strpos` compare with `memcmp`/Boyer-Moore-Horspool (40 ms), and need no escaping since the text is
 * already folded. On SQLite it still reads the covering index `tasks_search`.
 */
const holdsTerm = (db: Kysely<Database>, term: string) =>
  isPostgres(db) ? sql<boolean>`strpos(search_text, ${term}) > 0` : sql<boolean>`instr(search_text, ${term}) > 0`;

/**
 * Live tasks on lists the user can see whose folded text holds every term (`core/search.ts`), newest first. A
 * substring scan of the caller's lists: no index serves a substring test, and one person's lists hold thousands of
 * tasks. `searchLimits` bounds the terms: at most 8, of at most 64 characters. A long read (`Db.readLong`): on
 * SQLite it scans on a reader thread, so a search of much text does not hold up everyone else's requests.
 */
export async function searchTasks(
  database: Db,
  filter: { userId: string; terms: readonly string[]; workspaceId?: string | undefined; done?: boolean | undefined; beforeId: string | null; limit: number },
): Promise<TaskPageRows> {
  const db = database.kysely;
  let query = db.selectFrom('tasks').where('deleted_at', 'is', null).where('list_id', 'in', accessibleListIds(db, filter.userId));
  for (const term of filter.terms) query = query.where(holdsTerm(db, term));
  if (filter.workspaceId) query = query.where('workspace_id', '=', filter.workspaceId);
  if (filter.done !== undefined) query = query.where('completed_at', filter.done ? 'is not' : 'is', null);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return toTaskPage(await database.readLong(taskPageQuery(db, query, byIdDescending, filter.limit).compile()), filter.limit);
}
