/**
 * The tasks of one list, as the screen shows them: what the server confirmed, with the user's
 * pending changes applied on top (optimistic UI). Changes go to the server one at a time, in order,
 * so a change to a task created a moment ago waits for its real id. A refused change simply leaves
 * the queue, which reverts it; a change that could not reach the server (offline, 503) stays at the
 * head of the queue and is sent again later with the same Idempotency-Key. Server truth from anywhere
 * (a response, a reload, a real-time event) goes into `confirmed` and the pending changes are
 * re-applied over it.
 *
 * A network error does not say whether the change reached the server (the answer may be what was lost).
 * The server replays answers by key for POSTs (creations, moves, restores), and does not make an edit or a
 * deletion again that it already made under the key; a resend still costs a request. So a change whose real-time echo (its key as
 * `mutationId`) arrives is done, answered or not, and is never sent again; and while the real-time layer
 * catches up with the list after reconnecting (`awaitCatchUp` … `caughtUp`), the echo may still be on its
 * way, so a change that failed that way waits for it before being sent again, but not for ever: the real-time
 * connection may stay down while plain requests get through (a proxy that drops WebSocket upgrades), so after
 * `catchUpHoldMs` (15 s) it is sent anyway, with the same key, which the server then does not make twice. The queue
 * itself is a `WriteQueue` (write-queue.ts), shared with the lists store.
 */
import { comparePositions, positionBetween } from '../../core/ordering.js';
import type { Recurrence } from '../../core/recurrence.js';
import type { CreateTaskBody, DueDate, Task } from '../../core/schemas/index.js';
import { ApiError, newIdempotencyKey, toApiError, type ClientErrorCode } from '../api/client.js';
import type { TasksApi } from '../api/endpoints.js';
import { blockInputOf } from '../content-types/block-input.js';
import { localDay } from '../../core/due-days.js';
import { nextDueOnCompletion, recurrenceOf, sameDueDate } from '../lib/repeat-rules.js';
import { WriteQueue, type WriteOutcome } from './write-queue.js';

/** A task as displayed: `key` stays the same when a new task gets its server id; `pending` while unsaved. */
export interface TaskView extends Task {
  key: string;
  pending: boolean;
}

export interface ListTasksSnapshot {
  listId: string;
  status: 'loading' | 'ready' | 'error';
  /** Ordered by position. */
  tasks: readonly TaskView[];
  /** Why loading failed, when `status` is `error`. */
  error: ApiError | null;
  /** Some changes are not saved yet. */
  saving: boolean;
  /** The server could not be reached for the next change: the queue waits and retries. */
  stalled: boolean;
  /** Why, while stalled: `network` (no connection) or `server` (it answered busy or unavailable). */
  stalledBy: 'network' | 'server' | null;
}

/** What the user can change on a task from this list's screen. */
export interface TaskChanges {
  title?: string;
  notes?: string;
  done?: boolean;
  dueDate?: DueDate | null;
  priority?: number;
  /** How it repeats (it needs a due date); null stops it. */
  recurrence?: Recurrence | null;
  /** All the task's content blocks, as shown; sent as the API takes them (`blockInputOf`). */
  blocks?: Task['blocks'];
}

export interface NewTask {
  title: string;
  dueDate?: DueDate | null;
  priority?: number;
}

/** Where to put a task: after a task (null: at the top) or before one. */
export type TaskPlacement = { afterId: string | null } | { beforeId: string };

/** A change waiting for the server. `key` is its Idempotency-Key and real-time mutation id. */
export type PendingChange =
  | { kind: 'create'; key: string; taskId: string; body: CreateTaskBody; optimistic: Task }
  | {
      kind: 'update';
      key: string;
      taskId: string;
      changes: TaskChanges;
      /**
       * Completing a repeating task: the due date it had when the user completed it (the occurrence done). Shown moved
       * on to the next occurrence only while the server's copy still has that date: once its echo (or another change)
       * moved it, moving it again would show the occurrence after next.
       */
      occurrence?: DueDate;
      /** With `occurrence`: the user's date then, so an overdue repeating task skips the occurrences already past. */
      today?: string;
    }
  | { kind: 'move'; key: string; taskId: string; placement: TaskPlacement; position: string }
  | { kind: 'delete'; key: string; taskId: string }
  | { kind: 'restore'; key: string; taskId: string; task: Task };

export interface ListTasksStoreOptions {
  /**
   * Told about every change the server refused; the change is already reverted. `task` is the task
   * as it was shown before (for naming it in a message).
   */
  onError?: (error: ApiError, change: PendingChange, task: Task | undefined) => void;
  now?: () => Date;
  /** Milliseconds before sending again a change that could not reach the server (attempt 0, 1, …). */
  retryDelayMs?: (attempt: number) => number;
  /** The longest a change that failed by network error waits for the list to catch up (default 15 s). */
  catchUpHoldMs?: number;
}

/** The task is gone on the server: every change of it still queued would be refused too. */
const taskGoneCodes = new Set<ClientErrorCode>(['task_deleted', 'not_found']);
const maxRemembered = 500;

const localPrefix = 'local:';
/** Ids of tasks created here that the server has not answered for yet. */
export const isLocalId = (id: string): boolean => id.startsWith(localPrefix);

export class ListTasksStore {
  private confirmed = new Map<string, Task>();
  /** The user's changes not saved yet, in order (the head may be on its way). */
  private readonly queue: WriteQueue<PendingChange>;
  /** Local id → server id, once a created task is confirmed. */
  private readonly serverIds = new Map<string, string>();
  /** Server id → the local id it was shown under, so React keeps the same element. */
  private readonly keys = new Map<string, string>();
  /** Our own recent mutation ids, so a real-time layer can skip echoes of them. */
  private readonly ownMutations = new Set<string>();
  /** Our mutations the server already answered: their answer is at least as new as any echo of them. */
  private readonly answered = new Set<string>();
  /** Told the server's answer to an update (`updateTask`'s `onAnswer`), by the change's key. */
  private readonly answerListeners = new Map<string, (task: Task) => void>();
  /**
   * Tasks that left this list (deleted, moved away), by id, with the server's stamp (`updatedAt`) of their
   * leaving. The server's stamps of a task only grow, so a state of it no newer than that is from before it
   * left (a late answer of our own earlier change, a replay) and must not bring it back; a newer one (someone
   * restored it) does. `unseen`: deleted from here, and the server has not yet shown the deletion (its echo
   * or a fetch without the task); `updatedAt` is then that of the last state known before it, and until the
   * deletion shows only the deletion itself counts. The most recent `maxRemembered`; a full reload drops them,
   * but those of tasks a queued change (or one on its way) concerns, whose answer is still to come.
   */
  private readonly removed = new Map<string, { updatedAt: string; unseen: boolean }>();
  private status: ListTasksSnapshot['status'] = 'loading';
  private error: ApiError | null = null;
  /** The user signed out (`dispose`): nothing is sent any more. */
  private disposed = false;
  /** The list version the last load reflects (`listVersion`, read before the tasks). */
  private loadedVersion: number | null = null;
  private readonly loadListeners = new Set<(listVersion: number) => void>();
  /** Bumped by every confirmed change: a load that overlapped one is stale. */
  private generation = 0;
  private loading: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  private snapshot: ListTasksSnapshot;
  private readonly now: () => Date;

  constructor(
    readonly listId: string,
    private readonly api: TasksApi,
    private readonly options: ListTasksStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.queue = new WriteQueue<PendingChange>({
      send: (change) => this.send(change),
      onSettled: (change, outcome) => this.settled(change, outcome),
      onChange: () => this.emit(),
      retryDelayMs: options.retryDelayMs,
      catchUpHoldMs: options.catchUpHoldMs,
    });
    this.snapshot = this.computeSnapshot();
  }

  /** The changes not saved yet, in order. */
  private get pending(): readonly PendingChange[] {
    return this.queue.writes;
  }

  // --- reading -------------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ListTasksSnapshot => this.snapshot;

  /** Was this mutation id (Idempotency-Key) sent from here? Real-time echoes of it can be ignored. */
  ownsMutation(mutationId: string): boolean {
    return this.ownMutations.has(mutationId);
  }

  /** The list version the tasks were last loaded at; null before the first load. */
  get listVersion(): number | null {
    return this.loadedVersion;
  }

  /** Called after every successful load with the version it reflects (a real-time layer resumes from it). */
  onLoaded(listener: (listVersion: number) => void): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }

  // --- server truth ----------------------------------------------------------------------------

  /** (Re)loads the list's tasks; keeps showing what is there while refreshing. */
  load(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.loading ??= this.loadUntilStable().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async loadUntilStable(): Promise<void> {
    if (isLocalId(this.listId)) {
      // A list still being created has no tasks on the server to ask for (its id is not one the server knows).
      this.status = 'ready';
      this.emit();
      return;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const generation = this.generation;
      let tasks: Task[];
      let listVersion: number;
      try {
        ({ items: tasks, listVersion } = await this.api.listTasks(this.listId));
      } catch (error) {
        if (this.status !== 'ready') {
          this.status = 'error';
          this.error = toApiError(error);
          this.emit();
        }
        return;
      }
      // A change confirmed while the page was in flight may be missing from it: ask again.
      const stable = generation === this.generation;
      if (!stable && attempt < 2) continue;
      this.confirmed = new Map(tasks.map((task) => [task.id, task]));
      // A page asked for after every answer so far tells the truth about tasks that left (someone may have
      // restored one since); an older page may still show one from before it left. Except for the tasks of our
      // changes still queued or on their way: their answers are still to come and may be older than the page.
      if (stable) {
        const awaited = new Set(this.pending.map((change) => this.resolve(change.taskId) ?? change.taskId));
        for (const id of this.removed.keys()) if (!awaited.has(id)) this.removed.delete(id);
      }
      for (const [id, removal] of this.removed) {
        const task = this.confirmed.get(id);
        if (!task) {
          if (removal.unseen) this.removed.delete(id); // the page shows the deletion: any later news is newer
        } else if (removal.unseen || task.updatedAt <= removal.updatedAt) this.confirmed.delete(id);
        else this.removed.delete(id);
      }
      this.status = 'ready';
      this.error = null;
      this.loadedVersion = listVersion;
      this.emit();
      for (const listener of this.loadListeners) listener(listVersion);
      return;
    }
  }

  /**
   * A task as the server now has it (a response or a real-time event); older versions are ignored.
   * `mutationId` (a change event's) lets the echo of a task created here stand in for its response.
   */
  applyServerTask(task: Task, mutationId?: string | null): void {
    // An echo of our own answered change: the answer already showed this state or a newer one, and an
    // echo of an early step of a multi-step change (edited, then completed) would briefly undo the rest.
    // A deletion's echo still counts: its answer did not tell the deletion's stamp.
    if (mutationId && this.answered.has(mutationId) && task.deletedAt === null) return;
    this.generation++;
    const queued = mutationId ? this.pending.find((change) => change.key === mutationId) : undefined;
    if (queued?.kind === 'create') this.recordCreated(queued.taskId, task.id);
    // As its answer would: our deletion, answered but not shown yet, must not hide our own restore.
    if (queued?.kind === 'restore' && this.removed.get(task.id)?.unseen) this.removed.delete(task.id);
    this.confirmServer(task);
    if (queued) this.settleByEcho(queued, task.id);
    this.emit();
  }

  /**
   * A task left this list on the server (deleted, moved away, or purged); `updatedAt` is the server's stamp
   * of its leaving (without it, the newest state known here stands in); `mutationId`, the change event's.
   */
  applyServerRemoval(taskId: string, updatedAt?: string, mutationId?: string | null): void {
    this.generation++;
    const last = this.confirmed.get(taskId);
    this.confirmed.delete(taskId);
    if (updatedAt !== undefined) this.recordRemoval(taskId, updatedAt, false);
    else if (last && !this.removed.has(taskId)) this.recordRemoval(taskId, last.updatedAt, false);
    const queued = mutationId ? this.pending.find((change) => change.key === mutationId) : undefined;
    if (queued) this.settleByEcho(queued, taskId);
    if (last || queued) this.emit();
  }

  /**
   * The server applied one of our queued changes (its echo came): it must not be sent again. One on its way
   * is left to its answer; should that be lost, the queue takes the echo for it. Any other leaves the queue as
   * saved (the caller recorded the echo's state), and a created task's later changes address its server id.
   * Not `answered`: a later step of the same change (edited, then completed) still has news.
   */
  private settleByEcho(change: PendingChange, serverId: string): void {
    const settled = this.queue.settleByEcho(change.key);
    if (settled?.kind === 'create') this.queue.map((other) => (other.taskId === settled.taskId ? { ...other, taskId: serverId } : other));
  }

  // --- the user's changes ---------------------------------------------------------------------

  /** Adds a task at the end at once; returns its (local) id. */
  addTask(input: NewTask): string {
    const key = newIdempotencyKey();
    const taskId = `${localPrefix}${key}`;
    const now = this.now().toISOString();
    const last = this.snapshot.tasks.at(-1);
    const body: CreateTaskBody = { title: input.title.trim() };
    if (input.dueDate !== undefined) body.dueDate = input.dueDate;
    if (input.priority !== undefined) body.priority = input.priority;
    const optimistic: Task = {
      id: taskId,
      listId: this.listId,
      workspaceId: this.snapshot.tasks[0]?.workspaceId ?? '',
      title: body.title,
      notes: '',
      done: false,
      completedAt: null,
      completedBy: null,
      dueDate: input.dueDate ?? null,
      recurrence: null,
      priority: input.priority ?? 4,
      position: positionBetween(last?.position ?? null, null),
      assigneeId: null,
      createdBy: '',
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      blocks: [],
    };
    this.enqueue({ kind: 'create', key, taskId, body, optimistic });
    return taskId;
  }

  /**
   * Changes a task. Completing a repeating task sends the due date shown (`occurrence`), so a completion made on a
   * stale copy (a collaborator completed that occurrence meanwhile) does not move it on again. `onAnswer` is told the
   * server's answer (not when the change is refused, or saved without one: its echo came and the answer was lost).
   */
  updateTask(taskId: string, changes: TaskChanges, onAnswer?: (task: Task) => void): void {
    if (Object.keys(changes).length === 0) return;
    const shown = changes.done === true ? this.snapshot.tasks.find((task) => task.id === taskId) : undefined;
    const today = localDay(this.now());
    const occurrence = shown && nextDueOnCompletion(shown, today) ? shown.dueDate! : undefined;
    const key = newIdempotencyKey();
    if (onAnswer && !this.disposed) this.answerListeners.set(key, onAnswer);
    this.enqueue({ kind: 'update', key, taskId, changes, ...(occurrence ? { occurrence, today } : {}) });
  }

  /** Moves a task next to another one (ids as shown in `tasks`). */
  moveTask(taskId: string, placement: TaskPlacement): void {
    const others = this.snapshot.tasks.filter((task) => task.id !== taskId);
    let before: TaskView | undefined;
    let after: TaskView | undefined;
    if ('beforeId' in placement) {
      const index = others.findIndex((task) => task.id === placement.beforeId);
      if (index < 0) return;
      before = others[index - 1];
      after = others[index];
    } else if (placement.afterId === null) {
      after = others[0];
    } else {
      const index = others.findIndex((task) => task.id === placement.afterId);
      if (index < 0) return;
      before = others[index];
      after = others[index + 1];
    }
    const position = positionBetween(before?.position ?? null, after?.position ?? null);
    this.enqueue({ kind: 'move', key: newIdempotencyKey(), taskId, placement, position });
  }

  /** Moves a task up (negative) or down (positive) by `offset` places; false when it cannot move. */
  moveTaskBy(taskId: string, offset: number): boolean {
    const tasks = this.snapshot.tasks;
    const index = tasks.findIndex((task) => task.id === taskId);
    if (index < 0 || offset === 0) return false;
    const target = Math.max(0, Math.min(tasks.length - 1, index + offset));
    const anchor = tasks[target];
    if (target === index || !anchor) return false;
    this.moveTask(taskId, offset < 0 ? { beforeId: anchor.id } : { afterId: anchor.id });
    return true;
  }

  /** Deletes a task (to the trash); returns it as it was, for an Undo. */
  deleteTask(taskId: string): Task | undefined {
    const task = this.snapshot.tasks.find((candidate) => candidate.id === taskId);
    if (!task) return undefined;
    this.enqueue({ kind: 'delete', key: newIdempotencyKey(), taskId });
    const { key: _key, pending: _pending, ...plain } = task;
    return plain;
  }

  /** Brings a deleted task back where it was. */
  restoreTask(task: Task): void {
    this.enqueue({ kind: 'restore', key: newIdempotencyKey(), taskId: this.serverIds.get(task.id) ?? task.id, task });
  }

  // --- the queue ------------------------------------------------------------------------------

  private enqueue(change: PendingChange): void {
    if (this.disposed) return;
    remember(this.ownMutations, change.key);
    this.queue.push(change);
  }

  /**
   * Sends what is queued now instead of waiting for the next retry (the connection is back); while the
   * list is catching up, a change that failed by network error waits for `caughtUp` instead (its retry
   * timer, always pending meanwhile, sends it when the wait's bound passes).
   */
  retryNow(): void {
    this.queue.retryNow();
  }

  /**
   * The real-time layer lost the list's stream or is replaying what it missed: the echo of a change whose
   * answer was lost may still come. Until `caughtUp`, such a change is not sent again (new changes, and
   * those the server answered busy, are not held back unless they queue behind one). Bounded: `catchUpHoldMs`
   * after the wait began, or after the change last failed by network error, it is sent anyway (the socket may
   * stay down while plain requests get through; a change sent then that fails again waits again).
   */
  awaitCatchUp(): void {
    this.queue.awaitCatchUp();
  }

  /** Every change up to the server's version was applied (or the list fetched again): send what still waits. */
  caughtUp(): void {
    this.queue.caughtUp();
  }

  /**
   * The user signed out (or another signed in): the queued changes are dropped, the retry timer cleared, and
   * nothing is sent any more, as a later request would carry the next user's cookie. A change on its way
   * gets its answer, which changes nothing.
   */
  dispose(): void {
    this.disposed = true;
    this.queue.dispose();
    this.answerListeners.clear();
    this.emit();
  }

  /** A change the queue sent left it: saved (by its answer, or by its echo when that was lost), or refused. */
  private settled(change: PendingChange, outcome: WriteOutcome): void {
    this.answerListeners.delete(change.key);
    if (outcome.saved) {
      this.generation++;
      if (outcome.by === 'answer') remember(this.answered, change.key);
      this.emit();
      return;
    }
    const shown = this.shownTask(change.taskId);
    if (taskGoneCodes.has(outcome.error.code) && change.kind !== 'create') this.dropTask(change);
    this.emit();
    this.options.onError?.(outcome.error, change, shown);
    // Our picture may be out of date (the task is gone, someone else changed it): refresh it.
    void this.load();
  }

  /** The task of a refused change is gone on the server: drop it and every change of it still queued. */
  private dropTask(change: PendingChange): void {
    const taskId = this.resolve(change.taskId) ?? change.taskId;
    const ofTask = (candidate: PendingChange) =>
      candidate.taskId === change.taskId || candidate.taskId === taskId || this.serverIds.get(candidate.taskId) === taskId;
    this.queue.drop((candidate) => candidate.key === change.key || ofTask(candidate));
    for (const key of this.answerListeners.keys()) if (!this.pending.some((candidate) => candidate.key === key)) this.answerListeners.delete(key);
    this.confirmed.delete(taskId);
  }

  /** A task as shown now, by the id it is shown under or its server id. */
  private shownTask(taskId: string): Task | undefined {
    const serverId = this.resolve(taskId);
    const view = this.snapshot.tasks.find((task) => task.id === taskId || task.id === serverId || task.key === taskId);
    if (!view) return this.confirmed.get(serverId ?? taskId);
    const { key: _key, pending: _pending, ...task } = view;
    return task;
  }

  /** The server id for an id shown here; undefined while (or because) its creation is unconfirmed. */
  private resolve(id: string): string | undefined {
    if (!isLocalId(id)) return id;
    return this.serverIds.get(id);
  }

  private async send(change: PendingChange): Promise<void> {
    const taskId = this.resolve(change.taskId);
    switch (change.kind) {
      case 'create': {
        const task = await this.api.createTask(this.listId, change.body, change.key);
        this.recordCreated(change.taskId, task.id);
        this.confirmServer(task);
        // Later changes of this task now address it by its server id.
        this.queue.map((other) => (other !== change && other.taskId === change.taskId ? { ...other, taskId: task.id } : other));
        return;
      }
      case 'update': {
        if (!taskId) return; // its creation failed: nothing to update
        const { done, blocks, ...rest } = change.changes;
        const task = await this.api.updateTask(
          taskId,
          {
            ...rest,
            ...(blocks === undefined ? {} : { blocks: blocks.map(blockInputOf) }),
            ...(done === undefined ? {} : { done }),
            // The occurrence seen: the server does not complete it again if the task moved on since.
            ...(done === true && change.occurrence !== undefined ? { occurrence: change.occurrence, today: change.today } : {}),
          },
          change.key,
        );
        this.confirmServer(task);
        this.answerListeners.get(change.key)?.(task);
        return;
      }
      case 'move': {
        if (!taskId) return;
        const placement = change.placement;
        let body: { afterId: string | null } | { beforeId: string };
        if ('beforeId' in placement) {
          const beforeId = this.resolve(placement.beforeId);
          body = beforeId ? { beforeId } : { afterId: null };
        } else {
          const afterId = placement.afterId === null ? null : this.resolve(placement.afterId);
          if (afterId === undefined) return;
          body = { afterId };
        }
        this.confirmServer(await this.api.moveTask(taskId, body, change.key));
        return;
      }
      case 'delete': {
        if (!taskId) return;
        await this.api.deleteTask(taskId, change.key);
        // Its echo usually came first (the server tells subscribers before answering) and recorded the
        // deletion with its stamp; if not, no older news of the task counts until the deletion shows.
        const last = this.confirmed.get(taskId);
        this.confirmed.delete(taskId);
        if (!this.removed.has(taskId)) this.recordRemoval(taskId, last?.updatedAt ?? '', true);
        return;
      }
      case 'restore': {
        if (!taskId) return;
        const restored = await this.api.restoreTask(taskId, change.key);
        // Our deletion not shown yet: the restore answer is the newest news of the task. Else compare stamps
        // (someone may have deleted it again since).
        if (this.removed.get(taskId)?.unseen) this.removed.delete(taskId);
        this.confirmServer(restored);
        return;
      }
    }
  }

  private recordCreated(localId: string, serverId: string): void {
    this.serverIds.set(localId, serverId);
    this.keys.set(serverId, localId);
  }

  /** Records the server's version of a task, unless a newer one is already known (or it left since). */
  private confirmServer(task: Task): void {
    const current = this.confirmed.get(task.id);
    if (current && current.updatedAt > task.updatedAt) return;
    const removal = this.removed.get(task.id);
    if (removal && (task.updatedAt <= removal.updatedAt || (removal.unseen && task.deletedAt === null))) return;
    if (task.listId !== this.listId || task.deletedAt !== null) {
      this.confirmed.delete(task.id);
      this.recordRemoval(task.id, task.updatedAt, false);
    } else {
      this.removed.delete(task.id);
      this.confirmed.set(task.id, task);
    }
  }

  private recordRemoval(taskId: string, updatedAt: string, unseen: boolean): void {
    const known = this.removed.get(taskId);
    if (known && !known.unseen && known.updatedAt >= updatedAt) return;
    this.removed.delete(taskId); // re-inserted as the most recent
    this.removed.set(taskId, { updatedAt, unseen });
    if (this.removed.size > maxRemembered) this.removed.delete(this.removed.keys().next().value!);
  }

  // --- the picture ----------------------------------------------------------------------------

  private emit(): void {
    this.snapshot = this.computeSnapshot();
    for (const listener of this.listeners) listener();
  }

  private computeSnapshot(): ListTasksSnapshot {
    const shown = new Map<string, { task: Task; pending: boolean }>();
    for (const [id, task] of this.confirmed) shown.set(id, { task, pending: false });
    for (const change of this.pending) {
      // A created task the server already told us about shows as the server's, under its server id.
      const id = this.serverIds.get(change.taskId) ?? change.taskId;
      const current = shown.get(id);
      switch (change.kind) {
        case 'create':
          if (id === change.taskId) shown.set(id, { task: change.optimistic, pending: true });
          break;
        case 'update':
          if (current) shown.set(id, { task: this.withChanges(current.task, change.changes, change.occurrence, change.today), pending: true });
          break;
        case 'move':
          if (current) shown.set(id, { task: { ...current.task, position: change.position }, pending: true });
          break;
        case 'delete':
          shown.delete(id);
          break;
        case 'restore':
          shown.set(id, { task: { ...change.task, id, deletedAt: null }, pending: true });
          break;
      }
    }
    const tasks = [...shown.values()]
      .map(({ task, pending }): TaskView => ({ ...task, key: this.keys.get(task.id) ?? task.id, pending }))
      .sort(comparePositions);
    return {
      listId: this.listId,
      status: this.status,
      tasks,
      error: this.error,
      saving: this.pending.length > 0,
      stalled: this.queue.stalledBy !== null,
      stalledBy: this.queue.stalledBy,
    };
  }

  private withChanges(task: Task, changes: TaskChanges, occurrence?: DueDate, today: string = localDay(this.now())): Task {
    const next: Task = { ...task, recurrence: recurrenceOf(task) };
    if (changes.title !== undefined) next.title = changes.title;
    if (changes.notes !== undefined) next.notes = changes.notes;
    if (changes.dueDate !== undefined) next.dueDate = changes.dueDate;
    if (changes.priority !== undefined) next.priority = changes.priority;
    if (changes.blocks !== undefined) next.blocks = changes.blocks;
    if (changes.recurrence !== undefined) next.recurrence = changes.recurrence;
    // As the server does: a task without a due date has nothing to repeat.
    if (next.dueDate === null) next.recurrence = null;
    if (changes.done !== undefined && changes.done !== next.done) {
      const nextDue = changes.done ? nextDueOnCompletion(next, today) : null;
      if (nextDue) {
        // A repeating task stays open on its next date, as the server will answer; not twice if it moved already.
        if (occurrence === undefined || sameDueDate(next.dueDate, occurrence)) next.dueDate = nextDue;
      } else {
        next.done = changes.done;
        next.completedAt = changes.done ? this.now().toISOString() : null;
      }
    }
    return next;
  }
}

/** Adds to a set that keeps only the most recent entries. */
function remember(set: Set<string>, value: string): void {
  set.add(value);
  if (set.size > maxRemembered) set.delete(set.values().next().value!);
}
