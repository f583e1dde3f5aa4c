/**
 * Records a change: bumps the list's version and appends the activity event in the caller's transaction,
 * then publishes it on the change bus once that transaction has committed.
 */
import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { ActivityType } from '../../../core/activity.js';
import type { ChangeBus, ListChange } from '../../realtime/change-bus.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { DialectName } from '../../db/database.js';
import { newId } from '../../ids.js';
import { preparedQuery, type PreparedQuery, type RunOptions } from '../../db/prepared-query.js';
import type { ActivityEventsTable, Database, TasksTable } from '../../db/schema.js';
import { changedTaskColumns, insertTask, insertTaskStatement, taskColumns, updateTaskRow } from '../tasks/task.repository.js';

export interface ListChangeInput {
  workspaceId: string;
  listId: string;
  type: ActivityType;
  actorId: string | null;
  taskId?: string | null;
  mutationId?: string | null;
  at: string;
  data: unknown;
}

export interface WorkspaceEventInput {
  workspaceId: string;
  type: ActivityType;
  actorId: string | null;
  listId?: string | null;
  taskId?: string | null;
  at: string;
  mutationId?: string | null;
  data: unknown;
}

export interface ActivityRecorderOptions {
  /**
   * Stamps an event's time: billing puts workspaces on a test clock at the clock's time. It runs on
   * every change, so it answers from memory when it can (a plain string); when it must read, it reads
   * through `tx`, the change's own transaction (on SQLite the only connection), and returns a promise.
   */
  stampTime?: (workspaceId: string, at: string, tx: Kysely<Database>) => string | Promise<string>;
}

// Prepared: every change of every list runs these two (see prepared-query.ts).
const bumpListVersion = preparedQuery((db, args: { listId: string }) =>
  db
    .updateTable('lists')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', args.listId)
    .returning('version'),
);
const insertListEvent = preparedQuery((db, event: ActivityEventsTable) =>
  db.insertInto('activity_events').values({
    id: event.id,
    workspace_id: event.workspace_id,
    list_id: event.list_id,
    list_version: event.list_version,
    task_id: event.task_id,
    type: event.type,
    actor_id: event.actor_id,
    at: event.at,
    mutation_id: event.mutation_id,
    data: event.data,
  }),
);

type ListEventRow = Omit<ActivityEventsTable, 'list_version'> & { list_id: string };

/**
 * PostgreSQL: the version bump and the event insert in one statement (the bump as a CTE feeding the
 * insert), so a change costs one round trip here instead of two. SQLite has no DML in CTEs, and no
 * round trips to save.
 */
function bumpAndInsertStatement(db: QueryCreator<Database>, event: ListEventRow) {
  return db
    .with('bumped', (db) =>
      db
        .updateTable('lists')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', event.list_id)
        .returning('version'),
    )
    .insertInto('activity_events')
    .columns(['id', 'workspace_id', 'list_id', 'list_version', 'task_id', 'type', 'actor_id', 'at', 'mutation_id', 'data'])
    .expression((eb) =>
      eb
        .selectFrom('bumped')
        .select((eb) => [
          eb.val(event.id).as('id'),
          eb.val(event.workspace_id).as('workspace_id'),
          eb.val(event.list_id).as('list_id'),
          'bumped.version as list_version',
          eb.val(event.task_id).as('task_id'),
          eb.val(event.type).as('type'),
          eb.val(event.actor_id).as('actor_id'),
          eb.val(event.at).as('at'),
          eb.val(event.mutation_id).as('mutation_id'),
          eb.val(event.data).as('data'),
        ]),
    )
    .returning('list_version');
}
const bumpAndInsertListEvent = preparedQuery((db, event: ListEventRow) => bumpAndInsertStatement(db, event));

/**
 * PostgreSQL: a task change also puts the task's own UPDATE in that statement, as one more CTE (every
 * data-modifying CTE runs exactly once, whether or not the rest reads it). One per set of changed columns;
 * a changed column `c` is bound as the argument `set_c`.
 */
type TaskChangeArgs = ListEventRow & Record<string, unknown>;
const updateTaskBumpAndInsertQueries = new Map<string, PreparedQuery<TaskChangeArgs, { list_version: number | null }>>();
function updateTaskBumpAndInsertListEvent(columns: readonly (keyof TasksTable)[]) {
  const key = columns.join(',');
  let query = updateTaskBumpAndInsertQueries.get(key);
  if (!query) {
    query = preparedQuery((db, args: TaskChangeArgs) => {
      const withUpdate = db.with('updated', (db) =>
        db
          .updateTable('tasks')
          .set(Object.fromEntries(columns.map((column) => [column, args[`set_${column}`]])))
          .where('id', '=', args.task_id!)
          .returning('id'),
      );
      // Nothing reads `updated`: the rest of the statement is the one above.
      return bumpAndInsertStatement(withUpdate as unknown as QueryCreator<Database>, args);
    });
    updateTaskBumpAndInsertQueries.set(key, query);
  }
  return query;
}

/** PostgreSQL: a created task's INSERT in the same statement as its event, likewise; column `c` is bound as `new_c`. */
const insertTaskBumpAndInsertListEvent = preparedQuery((db, args: TaskChangeArgs) => {
  const task = Object.fromEntries(taskColumns.map((column) => [column, args[`new_${column}`]])) as unknown as TasksTable;
  const withInsert = db.with('inserted', (db) => insertTaskStatement(db, task).returning('id'));
  // Nothing reads `inserted`: the rest of the statement is the one above.
  return bumpAndInsertStatement(withInsert as unknown as QueryCreator<Database>, args);
});

/** A task row written by the change it is recorded with: changed columns, or a new task. */
export type TaskWrite = { update: Partial<TasksTable> } | { insert: TasksTable };

export function createActivityRecorder(bus: ChangeBus, dialect: DialectName, options: ActivityRecorderOptions = {}) {
  const stamp = options.stampTime ?? ((_workspaceId: string, at: string) => at);
  return {
    /**
     * Serializes writers of one list until commit (PostgreSQL row lock; SQLite has one writer anyway),
     * so positions computed from neighbours and version numbers never race. (`authorizeListChange` and
     * `findTaskForChange` take the same lock along with the access check.)
     */
    async lockList(uow: UnitOfWork, listId: string): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`select 1 from lists where id = ${listId} for update`.execute(uow.tx);
    },

    /**
     * `taskWrite`: the task row this change writes (the columns it sets on task `input.taskId`, or the
     * task it creates), in the same statement as the event on PostgreSQL (one round trip for the whole
     * change) and just before it on SQLite. `endsTransaction`: nothing follows it in the caller's
     * transaction, so on PostgreSQL its COMMIT goes out with it (see `RunOptions`).
     */
    async recordListChange(uow: UnitOfWork, input: ListChangeInput, taskWrite?: TaskWrite, options: RunOptions = {}): Promise<ListChange> {
      const stamped = stamp(input.workspaceId, input.at, uow.tx);
      const event: ListEventRow = {
        id: newId(),
        workspace_id: input.workspaceId,
        list_id: input.listId,
        task_id: input.taskId ?? null,
        type: input.type,
        actor_id: input.actorId,
        at: typeof stamped === 'string' ? stamped : await stamped,
        mutation_id: input.mutationId ?? null,
        data: JSON.stringify(input.data),
      };
      let version: number;
      const changes = taskWrite && 'update' in taskWrite ? taskWrite.update : undefined;
      const created = taskWrite && 'insert' in taskWrite ? taskWrite.insert : undefined;
      const changedColumns = changes ? changedTaskColumns(changes) : [];
      if (taskWrite && (!event.task_id || (created && created.id !== event.task_id))) throw new Error("A task write is recorded with that task's id");
      if (dialect === 'postgres') {
        const recorded = created
          ? await insertTaskBumpAndInsertListEvent.executeTakeFirst(
              uow.tx,
              { ...event, ...Object.fromEntries(taskColumns.map((column) => [`new_${column}`, created[column]])) },
              options,
            )
          : changedColumns.length > 0
            ? await updateTaskBumpAndInsertListEvent(changedColumns).executeTakeFirst(
                uow.tx,
                { ...event, ...Object.fromEntries(changedColumns.map((column) => [`set_${column}`, changes![column]])) },
                options,
              )
            : await bumpAndInsertListEvent.executeTakeFirst(uow.tx, event, options);
        if (!recorded) throw new Error(`List ${input.listId} vanished inside its own transaction`);
        version = Number(recorded.list_version);
      } else {
        if (created) await insertTask(uow.tx, created);
        if (changedColumns.length > 0) await updateTaskRow(uow.tx, event.task_id!, changes!);
        const bumped = await bumpListVersion.executeTakeFirst(uow.tx, { listId: input.listId });
        if (!bumped) throw new Error(`List ${input.listId} vanished inside its own transaction`);
        version = Number(bumped.version);
        await insertListEvent.run(uow.tx, { ...event, list_version: version });
      }
      const change: ListChange = {
        eventId: event.id,
        workspaceId: event.workspace_id,
        listId: input.listId,
        version,
        type: input.type,
        actorId: event.actor_id,
        taskId: event.task_id,
        mutationId: event.mutation_id,
        at: event.at,
        data: input.data,
      };
      uow.afterCommit(() => bus.publishListChange(change));
      return change;
    },

    /** An event that changes no list's content (it has no list version), e.g. a deleted list. */
    async recordWorkspaceEvent(uow: UnitOfWork, input: WorkspaceEventInput): Promise<void> {
      const at = await stamp(input.workspaceId, input.at, uow.tx);
      await uow.tx
        .insertInto('activity_events')
        .values({
          id: newId(),
          workspace_id: input.workspaceId,
          list_id: input.listId ?? null,
          list_version: null,
          task_id: input.taskId ?? null,
          type: input.type,
          actor_id: input.actorId,
          at,
          mutation_id: input.mutationId ?? null,
          data: JSON.stringify(input.data),
        })
        .execute();
    },
  };
}

export type ActivityRecorder = ReturnType<typeof createActivityRecorder>;
