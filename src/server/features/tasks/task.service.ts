/**
 * Tasks: create, edit, complete, move, delete to trash, restore. Each change runs in one transaction
 * that also bumps the list's version and appends the activity event; it is published after commit.
 */
import type { ActivityType } from '../../../core/activity.js';
import { AppError, forbidden, invalidField, notFound } from '../../../core/errors.js';
import { positionBetween } from '../../../core/ordering.js';
import { dueDayOf } from '../../../core/due-days.js';
import { anchoredRecurrence, nextDueDate, nextDueDateFrom } from '../../../core/recurrence.js';
import { can, canCompleteTask } from '../../../core/permissions.js';
import type { Page } from '../../../core/schemas/common.js';
import type { CreateTaskBody, DueTaskQuery, MoveTaskBody, Task, TaskSearchQuery, UpdateTaskBody } from '../../../core/schemas/tasks.js';
import { searchTerms } from '../../../core/search.js';
import type { AppContext } from '../../context.js';
import type { Database, TasksTable } from '../../db/schema.js';
import { inTransaction, type UnitOfWork } from '../../db/unit-of-work.js';
import { cursorText, decodeCursor, decodeCursorAs, pageAfter, positionPageAfter, resumeAfterPosition } from '../../http/cursor.js';
import { newId } from '../../ids.js';
import { nextUpdateStamp } from './update-stamp.js';
import type { ActivityRecorder, TaskWrite } from '../activity/activity.recorder.js';
import { authorizeList, authorizeListChange, findListAccess, isPostgres } from '../lists/list-access.js';
import { findUserById } from '../auth/user.repository.js';
import { moveCommentsOfTask } from '../comments/comment.repository.js';
import { moveNotificationsOfTask } from '../notifications/notification.repository.js';
import { notify } from '../notifications/notification.service.js';
import { searchTextOf, storeBlocks, syncUploadRefs } from './task-blocks.js';
import { dueDateColumns, dueDateOf, presentTask, recurrenceOf, sameDueDate } from './task.presenter.js';
import {
  findTask,
  findTaskPositionInList,
  isPastTrashRetention,
  lastTaskPosition,
  listDueTasks,
  listTasksAssignedTo,
  listTasksOfList,
  lockTaskForChange,
  neighbourTaskPosition,
  searchTasks,
  updateTaskRow,
} from './task.repository.js';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

/** Attempts at a move whose task keeps moving to other lists before it is locked (see `moveTaskOnce`). */
const moveAttempts = 8;

/** A move's task went to a list another change holds: this attempt rolls back, the next starts over. */
class TaskMovedMeanwhile extends Error {}

/** The task, its row locked until commit (PostgreSQL) and read at its latest committed version. */
function lockTaskRow(tx: Kysely<Database>, taskId: string): Promise<TasksTable | undefined> {
  const query = tx.selectFrom('tasks').selectAll().where('id', '=', taskId);
  // `no key update`, what the move's UPDATE takes anyway: rows being inserted that point at the task keep their key-share lock on it.
  return isPostgres(tx) ? query.forNoKeyUpdate().executeTakeFirst() : query.executeTakeFirst();
}

/** `ActivityRecorder.lockList` without waiting: false when another transaction holds the list (PostgreSQL). */
async function tryLockList(tx: Kysely<Database>, listId: string): Promise<boolean> {
  if (!isPostgres(tx)) return true;
  const { rows } = await sql`select 1 from lists where id = ${listId} for update skip locked`.execute(tx);
  return rows.length > 0;
}

export function createTaskService(ctx: AppContext, activity: ActivityRecorder) {
  const { db, clock } = ctx;
  const transact = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    inTransaction(db, work, (error) => ctx.log.error({ err: error }, 'after-commit effect failed'));

  /**
   * The task and the caller's access to its list; 404 when either is out of the caller's sight, or when the task is
   * past the trash's retention (as good as purged, see `trashCutoff`).
   */
  async function loadTask(tx: Kysely<Database>, userId: string, taskId: string) {
    const found = await findTask(tx, taskId);
    const task = found && !isPastTrashRetention(found, clock.now()) ? found : undefined;
    const access = task ? await findListAccess(tx, task.list_id, userId) : undefined;
    if (!task || !access) throw notFound('Task');
    return { task, ...access };
  }

  /**
   * `loadTask` for a change: the task and the caller's access to its list, locked together (PostgreSQL),
   * so the task is the latest committed version, followed to the list it moved to meanwhile; 404 past the trash's
   * retention, as `loadTask`.
   */
  async function loadTaskForChange(tx: Kysely<Database>, userId: string, taskId: string, mutationId: string | null = null) {
    const found = await lockTaskForChange(tx, taskId, userId, mutationId);
    if (!found || isPastTrashRetention(found.task, clock.now())) throw notFound('Task');
    return found;
  }

  /**
   * Records `type` on the task's list. `taskWrite`: the task row written in the same step.
   * `endsTransaction`: the transaction's last statement (its COMMIT goes with it, see `RunOptions`).
   */
  function record(
    uow: UnitOfWork,
    task: TasksTable,
    type: ActivityType,
    actorId: string,
    mutationId: string | null,
    { extra = {}, taskWrite, endsTransaction = false }: { extra?: object; taskWrite?: TaskWrite | undefined; endsTransaction?: boolean } = {},
  ) {
    // The event is dated by the clock, not by the task's `updated_at`, which may run a little ahead of it (see
    // update-stamp.ts): history and metering order and count events by the time they happened.
    const at = clock.now().toISOString();
    const change = {
      workspaceId: task.workspace_id,
      listId: task.list_id,
      type,
      actorId,
      taskId: task.id,
      mutationId,
      at,
      data: { task: presentTask(task), ...extra },
    };
    return activity.recordListChange(uow, change, taskWrite, { endsTransaction });
  }

  async function assertAssignable(tx: Kysely<Database>, listId: string, assigneeId: string | null | undefined) {
    if (!assigneeId) return;
    if (!(await findListAccess(tx, listId, assigneeId))) throw invalidField('assigneeId', 'must be a member of the list');
  }

  /** In-app notification for the person a task was just assigned to (after commit on their channel). */
  async function notifyAssignee(uow: UnitOfWork, task: TasksTable, actorId: string, at: string) {
    const [actor, list] = await Promise.all([
      findUserById(uow.tx, actorId),
      uow.tx.selectFrom('lists').select('name').where('id', '=', task.list_id).executeTakeFirstOrThrow(),
    ]);
    await notify(uow, ctx.bus, {
      userId: task.assignee_id!,
      workspaceId: task.workspace_id,
      type: 'assigned',
      actorId,
      at,
      listId: task.list_id,
      taskId: task.id,
      data: { actorName: actor?.name ?? null, listName: list.name, taskTitle: task.title },
    });
  }

  /**
   * One attempt at a move, in its transaction. The lists are locked first, in id order (the lock every
   * change of a list holds until commit, see `ActivityRecorder.lockList`), then the task row: the order
   * every task write takes them in (`findTaskForChange`, list deletes), so no wait cycle can form.
   *
   * The task's list is read before anything is locked, so the task may have moved meanwhile: once its row
   * is locked it can move no more, and the list it is in now is taken too, but only if nobody holds it
   * (`skip locked`: waiting for it, out of order, could deadlock against a move locking in order).
   * Otherwise the attempt gives up with `TaskMovedMeanwhile`; its rollback releases the locks, and
   * `moveTask` starts again from the list the task is in now. SQLite has one writer: nothing moves there
   * between the read and the write, and the locks are no-ops.
   */
  async function moveTaskOnce(uow: UnitOfWork, userId: string, taskId: string, body: MoveTaskBody, mutationId: string | null): Promise<Task> {
    const { tx } = uow;
    const seen = await findTask(tx, taskId);
    const held = new Set([seen?.list_id, body.listId].filter((id): id is string => !!id));
    for (const id of [...held].sort()) await activity.lockList(uow, id);
    const task = await lockTaskRow(tx, taskId);
    if (!task || isPastTrashRetention(task, clock.now()) || !(await findListAccess(tx, task.list_id, userId))) throw notFound('Task');
    if (!held.has(task.list_id)) {
      if (!(await tryLockList(tx, task.list_id))) throw new TaskMovedMeanwhile();
      held.add(task.list_id);
    }
    if (task.deleted_at) throw new AppError('task_deleted', 'This task was deleted; restore it before moving it');
    await authorizeList(tx, userId, task.list_id, 'task.update', 'Task');
    // Without a list the task stays in the one it is in now, which the caller may not have seen it move to.
    const targetListId = body.listId ?? task.list_id;
    const target = targetListId === task.list_id ? null : await authorizeList(tx, userId, targetListId, 'task.create');
    // A task's uploads, storage and billing belong to its workspace: it does not leave it.
    if (target && target.list.workspace_id !== task.workspace_id) throw invalidField('listId', 'must be a list of the same workspace');
    const listId = target?.list.id ?? task.list_id;

    const neighbour = async (id: string, field: 'afterId' | 'beforeId') => {
      const row = await findTask(tx, id);
      if (!row || row.list_id !== listId || row.deleted_at || row.id === taskId) throw invalidField(field, 'must be another task of the target list');
      return row.position;
    };
    let position: string;
    if (body.afterId) {
      const lower = await neighbour(body.afterId, 'afterId');
      position = positionBetween(lower, await neighbourTaskPosition(tx, listId, lower, 'after', taskId));
    } else if (body.beforeId) {
      const upper = await neighbour(body.beforeId, 'beforeId');
      position = positionBetween(await neighbourTaskPosition(tx, listId, upper, 'before', taskId), upper);
    } else if (body.afterId === null) {
      position = positionBetween(null, await neighbourTaskPosition(tx, listId, '', 'after', taskId));
    } else {
      position = positionBetween(await lastTaskPosition(tx, listId), null);
    }

    const now = nextUpdateStamp(task.updated_at, clock.now());
    const moved: TasksTable = { ...task, list_id: listId, workspace_id: target?.list.workspace_id ?? task.workspace_id, position, updated_at: now };
    if (target) {
      // Assignments and positions belong to a list: a task changing lists keeps its assignee only if they can see the new list.
      if (moved.assignee_id && !(await findListAccess(tx, listId, moved.assignee_id))) moved.assignee_id = null;
    }
    await updateTaskRow(tx, taskId, {
      list_id: moved.list_id,
      workspace_id: moved.workspace_id,
      position,
      assignee_id: moved.assignee_id,
      updated_at: now,
    });
    if (target) {
      await moveCommentsOfTask(tx, taskId, moved.list_id, moved.workspace_id);
      const to = { listId, workspaceId: moved.workspace_id };
      await moveNotificationsOfTask(tx, taskId, to, async (holder) => Boolean(await findListAccess(tx, listId, holder)));
    }
    if (target) await record(uow, { ...task, updated_at: now }, 'task.moved', userId, mutationId, { extra: { toListId: listId, removed: true } });
    await record(uow, moved, 'task.moved', userId, mutationId, { extra: { fromListId: task.list_id }, endsTransaction: true });
    return presentTask(moved);
  }

  return {
    async createTask(userId: string, listId: string, body: CreateTaskBody, mutationId: string | null): Promise<Task> {
      return transact(async (uow) => {
        const { list } = await authorizeListChange(uow.tx, userId, listId, 'task.create');
        let position: string;
        if (body.afterId) {
          const after = await findTask(uow.tx, body.afterId);
          if (!after || after.list_id !== listId || after.deleted_at) throw invalidField('afterId', 'must be a task of this list');
          position = positionBetween(after.position, await neighbourTaskPosition(uow.tx, listId, after.position, 'after', null));
        } else if (body.afterId === null) {
          position = positionBetween(null, await neighbourTaskPosition(uow.tx, listId, '', 'after', null));
        } else {
          position = positionBetween(await lastTaskPosition(uow.tx, listId), null);
        }
        if (body.recurrence && !body.dueDate) throw invalidField('recurrence', 'needs a due date: it moves the due date on');
        const now = clock.now().toISOString();
        const blocksJson = body.blocks ? await storeBlocks(uow.tx, db.dialect, userId, list.workspace_id, body.blocks, null) : '[]';
        const notes = body.notes ?? '';
        const task: TasksTable = {
          id: newId(),
          workspace_id: list.workspace_id,
          list_id: listId,
          title: body.title,
          notes,
          completed_at: null,
          completed_by: null,
          ...dueDateColumns(body.dueDate ?? null),
          recurrence: body.recurrence && body.dueDate ? JSON.stringify(anchoredRecurrence(body.recurrence, dueDayOf(body.dueDate))) : null,
          priority: body.priority ?? 4,
          position,
          assignee_id: null,
          blocks: blocksJson,
          search_text: searchTextOf({ title: body.title, notes, blocks: blocksJson }),
          created_by: userId,
          created_at: now,
          updated_at: now,
          deleted_at: null,
          deleted_by: null,
        };
        await record(uow, task, 'task.created', userId, mutationId, { taskWrite: { insert: task }, endsTransaction: !body.blocks });
        if (body.blocks) await syncUploadRefs(uow.tx, task.id, task.blocks, task.updated_at);
        return presentTask(task);
      });
    },

    async listTasks(
      userId: string,
      listId: string,
      query: { limit: number; cursor?: string | undefined; done?: 'true' | 'false' | undefined },
      deleted = false,
    ): Promise<Page<Task> & { listVersion: number }> {
      // The version is read before the tasks: a client resuming from it may see a change twice (harmless,
      // changes carry whole tasks) but never miss one.
      const { list } = await authorizeList(db.kysely, userId, listId, 'list.read');
      const after = await resumeAfterPosition(query.cursor, (id) => findTaskPositionInList(db.kysely, listId, id));
      const read = await listTasksOfList(db.kysely, {
        listId,
        deleted: deleted && { now: clock.now() },
        done: query.done === undefined ? undefined : query.done === 'true',
        after,
        limit: query.limit,
      });
      const page = positionPageAfter(read);
      return { items: page.items.map(presentTask), nextCursor: page.nextCursor, listVersion: Number(list.version) };
    },

    /** "Assigned to me": the caller's live assigned tasks across every list they can see. */
    async listAssignedTasks(userId: string, query: { limit: number; cursor?: string | undefined; done?: 'true' | 'false' | undefined }): Promise<Page<Task>> {
      const after = decodeCursor(query.cursor, 1);
      const read = await listTasksAssignedTo(db.kysely, {
        userId,
        done: query.done === undefined ? undefined : query.done === 'true',
        afterId: after ? String(after[0]) : null,
        limit: query.limit,
      });
      const page = pageAfter(read, (row) => [row.id]);
      return { items: page.items.map(presentTask), nextCursor: page.nextCursor };
    },

    /** "Upcoming": the caller's open tasks with a due date, soonest first (see `dueTaskQuery`). */
    async listDueTasks(userId: string, query: DueTaskQuery): Promise<Page<Task>> {
      const after = decodeCursorAs(query.cursor, z.tuple([cursorText, z.number().int(), cursorText]));
      const read = await listDueTasks(db.kysely, {
        userId,
        through: query.through,
        workspaceId: query.workspaceId,
        assignedToUser: query.assignee === 'me',
        after: after ? { dueDate: after[0], priority: after[1], id: after[2] } : null,
        limit: query.limit,
      });
      const page = pageAfter(read, (row) => [row.due_date!, row.priority, row.id]);
      return { items: page.items.map(presentTask), nextCursor: page.nextCursor };
    },

    /** Tasks the caller can see that hold every word of the query, newest first. */
    async searchTasks(userId: string, query: TaskSearchQuery): Promise<Page<Task>> {
      const before = decodeCursor(query.cursor, 1);
      const read = await searchTasks(db, {
        userId,
        terms: searchTerms(query.q),
        workspaceId: query.workspaceId,
        done: query.done === undefined ? undefined : query.done === 'true',
        beforeId: before ? String(before[0]) : null,
        limit: query.limit,
      });
      const page = pageAfter(read, (row) => [row.id]);
      return { items: page.items.map(presentTask), nextCursor: page.nextCursor };
    },

    async getTask(userId: string, taskId: string): Promise<Task> {
      return presentTask((await loadTask(db.kysely, userId, taskId)).task);
    },

    async updateTask(userId: string, taskId: string, body: UpdateTaskBody, mutationId: string | null): Promise<Task> {
      return transact(async (uow) => {
        const { task, role, mutationApplied } = await loadTaskForChange(uow.tx, userId, taskId, mutationId);
        // A retry whose first try was made: answered with the task as it is now, not made again over later changes.
        if (mutationApplied) return presentTask(task);
        if (task.deleted_at) throw new AppError('task_deleted', 'This task was deleted; restore it before editing');

        const { done, assigneeId, dueDate, recurrence, occurrence, today, blocks, ...plain } = body;
        // What the caller asks, not only what would change: a viewer's PATCH is refused even when it changes nothing,
        // as a viewer's restore of a live task is.
        const asksEdit =
          plain.title !== undefined ||
          plain.notes !== undefined ||
          plain.priority !== undefined ||
          blocks !== undefined ||
          dueDate !== undefined ||
          recurrence !== undefined;
        if (asksEdit && !can(role, 'task.update')) throw forbidden(`Your role (${role}) cannot edit tasks`);
        if (assigneeId !== undefined && !can(role, 'task.update')) throw forbidden(`Your role (${role}) cannot assign tasks`);
        if (done !== undefined && !canCompleteTask(role, task.assignee_id === userId)) throw forbidden(`Your role (${role}) cannot complete this task`);
        const edits: Partial<TasksTable> = {};
        if (plain.title !== undefined && plain.title !== task.title) edits.title = plain.title;
        if (plain.notes !== undefined && plain.notes !== task.notes) edits.notes = plain.notes;
        if (plain.priority !== undefined && plain.priority !== Number(task.priority)) edits.priority = plain.priority;
        if (blocks !== undefined) {
          const stored = await storeBlocks(uow.tx, db.dialect, userId, task.workspace_id, blocks, taskId);
          if (stored !== task.blocks) edits.blocks = stored;
        }
        if (dueDate !== undefined) {
          const columns = dueDateColumns(dueDate);
          if (columns.due_date !== task.due_date || columns.due_time_zone !== task.due_time_zone) Object.assign(edits, columns);
        }
        const due = dueDateOf({ ...task, ...edits });
        // A rule given, or the due date changed by hand, takes its day of the month from the due date (`anchoredRecurrence`);
        // a completion moving the due date on keeps it (below). Clearing the due date stops the rule: it has nothing to move on.
        const stored = recurrenceOf(task);
        const rule =
          recurrence !== undefined ? recurrence : dueDate === undefined ? stored : dueDate === null ? null : stored && { ...stored, dayOfMonth: undefined };
        if (rule && due === null) throw invalidField('recurrence', 'needs a due date: it moves the due date on');
        const repeats = rule && due ? anchoredRecurrence(rule, dueDayOf(due)) : null;
        const recurrenceJson = repeats ? JSON.stringify(repeats) : null;
        if (recurrenceJson !== task.recurrence) edits.recurrence = recurrenceJson;
        // A repeating task whose occurrence the client completes was already moved on by someone else: not again.
        const staleOccurrence = done === true && occurrence !== undefined && recurrenceJson !== null && !sameDueDate(occurrence, dueDateOf(task));
        const completing = done !== undefined && done !== (task.completed_at !== null) && !staleOccurrence;
        // Completing a repeating task moves its due date to the next occurrence and leaves it open; past its `until`, it closes.
        const nextDue = completing && done && repeats && due ? (today ? nextDueDateFrom(due, repeats, today) : nextDueDate(due, repeats)) : null;
        const assigning = assigneeId !== undefined && assigneeId !== task.assignee_id;

        if (assigning) await assertAssignable(uow.tx, task.list_id, assigneeId);

        const now = nextUpdateStamp(task.updated_at, clock.now());
        let current: TasksTable = task;
        // One activity event per kind of change (edited, completed, assigned): history and metering see each.
        const steps: [ActivityType, Partial<TasksTable>][] = [];
        if (Object.keys(edits).length > 0) steps.push(['task.edited', edits]);
        if (nextDue) steps.push(['task.completed', dueDateColumns(nextDue)]);
        else if (completing)
          steps.push(done ? ['task.completed', { completed_at: now, completed_by: userId }] : ['task.reopened', { completed_at: null, completed_by: null }]);
        if (assigning) steps.push(['task.assigned', { assignee_id: assigneeId ?? null }]);
        if (steps.length === 0) return presentTask(task);

        const allChanges: Partial<TasksTable> = Object.assign({ updated_at: now }, ...steps.map(([, changes]) => changes));
        if (edits.title !== undefined || edits.notes !== undefined || edits.blocks !== undefined) allChanges.search_text = searchTextOf({ ...task, ...edits });
        const syncsUploads = edits.blocks !== undefined;
        const notifiesAssignee = assigning && !!assigneeId && assigneeId !== userId;
        for (const [step, [type, changes]] of steps.entries()) {
          current = { ...current, ...changes, updated_at: now };
          // The row is written once, with the first event.
          // A repeating task's completion says which occurrence was done: the due date it had.
          const occurrence = type === 'task.completed' && nextDue ? { completedOccurrence: due } : {};
          await record(uow, current, type, userId, mutationId, {
            extra: { changed: Object.keys(changes), ...occurrence },
            taskWrite: step === 0 ? { update: allChanges } : undefined,
            endsTransaction: step === steps.length - 1 && !syncsUploads && !notifiesAssignee,
          });
        }
        if (syncsUploads) await syncUploadRefs(uow.tx, taskId, edits.blocks!, now);
        if (notifiesAssignee) await notifyAssignee(uow, current, userId, now);
        return presentTask(current);
      });
    },

    async moveTask(userId: string, taskId: string, body: MoveTaskBody, mutationId: string | null): Promise<Task> {
      // A restart rolls back only locks and reads: nothing is written before the task's lists are all held.
      for (let attempt = 1; ; attempt++) {
        try {
          return await transact((uow) => moveTaskOnce(uow, userId, taskId, body, mutationId));
        } catch (error) {
          if (!(error instanceof TaskMovedMeanwhile)) throw error;
          if (attempt === moveAttempts) throw new AppError('conflict', 'The task kept moving to other lists meanwhile; try again');
        }
      }
    },

    async deleteTask(userId: string, taskId: string, mutationId: string | null): Promise<void> {
      await transact(async (uow) => {
        const { task, role, mutationApplied } = await loadTaskForChange(uow.tx, userId, taskId, mutationId);
        // A retry whose first try was made: not made again, e.g. over a collaborator's restore since.
        if (mutationApplied) return;
        if (!can(role, 'task.delete')) throw forbidden(`Your role (${role}) cannot delete tasks`);
        if (task.deleted_at) return; // deleting twice is a no-op, like DELETE should be
        const now = nextUpdateStamp(task.updated_at, clock.now());
        const update = { deleted_at: now, deleted_by: userId, updated_at: now };
        await record(uow, { ...task, ...update }, 'task.deleted', userId, mutationId, { taskWrite: { update }, endsTransaction: true });
      });
    },

    async restoreTask(userId: string, taskId: string, mutationId: string | null): Promise<Task> {
      return transact(async (uow) => {
        const { task, role } = await loadTaskForChange(uow.tx, userId, taskId);
        if (!can(role, 'task.delete')) throw forbidden(`Your role (${role}) cannot restore tasks`);
        if (!task.deleted_at) return presentTask(task);
        const now = clock.now(); // past the trash's retention it is 404, as good as purged (`loadTaskForChange`)
        // A task inserted meanwhile may have taken the same position: then go right after it.
        const clash = await uow.tx
          .selectFrom('tasks')
          .select('id')
          .where('list_id', '=', task.list_id)
          .where('position', '=', task.position)
          .where('id', '!=', task.id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        const position = clash
          ? positionBetween(task.position, await neighbourTaskPosition(uow.tx, task.list_id, task.position, 'after', task.id))
          : task.position;
        const update = { deleted_at: null, deleted_by: null, position, updated_at: nextUpdateStamp(task.updated_at, now) };
        const restored = { ...task, ...update };
        await record(uow, restored, 'task.restored', userId, mutationId, { taskWrite: { update }, endsTransaction: true });
        return presentTask(restored);
      });
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
