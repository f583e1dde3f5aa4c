/**
 * Records a change: bumps the list's version and appends the activity event in the caller's transaction,
 * then publishes it on the change bus once that transaction has committed.
 */
import { sql } from 'kysely';
import type { ActivityType } from '../../../core/activity.js';
import type { ChangeBus, ListChange } from '../../realtime/change-bus.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { DialectName } from '../../db/database.js';
import { newId } from '../../ids.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { ActivityEventsTable } from '../../db/schema.js';

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
  data: unknown;
}

export interface ActivityRecorderOptions {
  /**
   * Stamps an event's time: billing puts workspaces on a test clock at the clock's time. Synchronous
   * and cheap (an in-memory lookup): it runs on every change.
   */
  stampTime?: (workspaceId: string, at: string) => string;
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

export function createActivityRecorder(bus: ChangeBus, dialect: DialectName, options: ActivityRecorderOptions = {}) {
  const stamp = options.stampTime ?? ((_workspaceId: string, at: string) => at);
  return {
    /**
     * Serializes writers of one list until commit (PostgreSQL row lock; SQLite has one writer anyway),
     * so positions computed from neighbours and version numbers never race.
     */
    async lockList(uow: UnitOfWork, listId: string): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`select 1 from lists where id = ${listId} for update`.execute(uow.tx);
    },

    /** `lockList` for the list a task is in; costs nothing on SQLite, where there is one writer anyway. */
    async lockListOfTask(uow: UnitOfWork, taskId: string): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`select 1 from lists where id = (select list_id from tasks where id = ${taskId}) for update`.execute(uow.tx);
    },

    async recordListChange(uow: UnitOfWork, input: ListChangeInput): Promise<ListChange> {
      const bumped = await bumpListVersion.executeTakeFirst(uow.tx, { listId: input.listId });
      if (!bumped) throw new Error(`List ${input.listId} vanished inside its own transaction`);
      const change: ListChange = {
        eventId: newId(),
        workspaceId: input.workspaceId,
        listId: input.listId,
        version: Number(bumped.version),
        type: input.type,
        actorId: input.actorId,
        taskId: input.taskId ?? null,
        mutationId: input.mutationId ?? null,
        at: stamp(input.workspaceId, input.at),
        data: input.data,
      };
      await insertListEvent.run(uow.tx, {
        id: change.eventId,
        workspace_id: change.workspaceId,
        list_id: change.listId,
        list_version: change.version,
        task_id: change.taskId,
        type: change.type,
        actor_id: change.actorId,
        at: change.at,
        mutation_id: change.mutationId,
        data: JSON.stringify(change.data),
      });
      uow.afterCommit(() => bus.publishListChange(change));
      return change;
    },

    /** An event that changes no list's content (it has no list version), e.g. a deleted list. */
    async recordWorkspaceEvent(uow: UnitOfWork, input: WorkspaceEventInput): Promise<void> {
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
          at: stamp(input.workspaceId, input.at),
          mutation_id: null,
          data: JSON.stringify(input.data),
        })
        .execute();
    },
  };
}

export type ActivityRecorder = ReturnType<typeof createActivityRecorder>;
