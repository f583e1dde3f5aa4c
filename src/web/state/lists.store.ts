/**
 * The lists the user can open (sidebar), with optimistic changes over what the server confirmed.
 * Each list carries a `version` that only grows, so an older answer never overwrites a newer one.
 * Renames, archiving and deletions of a list go to the server one at a time, in order (each list has its own
 * queue: one list's waiting write does not hold back another's); one that cannot reach it
 * (offline, 503) stays shown and queued, and is sent again later with the same Idempotency-Key, like
 * the task changes of a list (list-tasks.store.ts). As there, a rename or archive whose real-time echo (its
 * key as `mutationId`, in the list's own stream) arrives is done and never sent again, and while a watched
 * list catches up after reconnecting, a write of it that failed by network error waits for the replay, for
 * at most `catchUpHoldMs` (15 s; then it is sent anyway): each list's queue is a `WriteQueue` (write-queue.ts).
 * A list's deletion carries no mutation id (the server records it as a workspace event): sent again after its
 * answer was lost, it is refused as not found, which means done: the list is gone either way.
 * A list created here is shown (and written to) under a local id until the server has answered; its creation is queued
 * too (under the local id), so a network error keeps it, sent again later with its key. Its writes made meanwhile
 * wait for that answer, then are queued in order under its server id (or dropped if the server refused the creation).
 * Tasks added to it meanwhile wait here too, shown with the list wherever it is shown, and are handed to its tasks store
 * (`addTasks`) in order once it has its server id, or dropped with it.
 */
import { comparePositions, positionBetween } from '../../core/ordering.js';
import type { TaskList } from '../../core/schemas/index.js';
import { ApiError, newIdempotencyKey, toApiError } from '../api/client.js';
import type { api } from '../api/endpoints.js';
import { isLocalId, type NewTask } from './list-tasks.store.js';
import { WriteQueue } from './write-queue.js';

export type ListsApi = Pick<typeof api, 'listLists' | 'createList' | 'updateList' | 'deleteList'>;

export interface ListView extends TaskList {
  /** Shown before the server confirmed it (creation, rename, archive). */
  pending: boolean;
  /** Tasks added, in order, while the list is being created (it has a local id): shown waiting, created once it exists. */
  waitingTasks?: readonly NewTask[];
}

export interface ListsSnapshot {
  status: 'loading' | 'ready' | 'error';
  error: ApiError | null;
  /** Every list, ordered by position; archived ones included (see `archived`). */
  lists: readonly ListView[];
  /** Some change is not saved yet. */
  saving: boolean;
  /** While the next change could not reach the server, why: `network` (no connection) or `server` (busy, unavailable). */
  stalledBy: 'network' | 'server' | null;
}

type ListWrite =
  | { kind: 'update'; key: string; listId: string; changes: { name?: string; archived?: boolean } }
  | { kind: 'delete'; key: string; listId: string };
type ListChange = { kind: 'create'; key: string; list: TaskList } | ListWrite;

/** A queued write: `send` sends it with its key and records the answer; `settle` tells the caller how it ended. */
interface QueuedWrite {
  key: string;
  change: ListChange;
  send: () => Promise<void>;
  /** `error`: the server's refusal (none when it was dropped unsent). */
  settle: (saved: boolean, error?: ApiError) => void;
}

export interface ListsStoreOptions {
  onError?: (error: ApiError) => void;
  now?: () => Date;
  /** Milliseconds before sending again a change that could not reach the server (attempt 0, 1, …). */
  retryDelayMs?: (attempt: number) => number;
  /** The longest a write that failed by network error waits for its list to catch up (default 15 s). */
  catchUpHoldMs?: number;
  /** Adds tasks, in order, to a list the server has (its tasks store); see `addTask`. */
  addTasks?: (listId: string, tasks: readonly NewTask[]) => void;
}

export class ListsStore {
  private confirmed = new Map<string, TaskList>();
  private pending: ListChange[] = [];
  /**
   * Each list's queued writes (a list's entry goes once nothing of it is queued): one queue per list, so a list's
   * write waiting for its catch-up holds back only that list's later writes.
   */
  private readonly queues = new Map<string, WriteQueue<QueuedWrite>>();
  /** Lists being created here, by local id: resolves with the server's id, or null when the creation failed. */
  private readonly creations = new Map<string, Promise<string | null>>();
  /**
   * Each list created here: its local id's server id. Changes made under the local id follow the list to it (shown,
   * and sent), so nothing flickers back when the local copy becomes the server's list.
   */
  private readonly serverIds = new Map<string, string>();
  /**
   * Lists being created here that the server has already announced (`list.added` with the creation's key, before its
   * answer): creation key → server id. The server's copy stays hidden behind the local one until the answer arrives.
   */
  private readonly announcedCreations = new Map<string, string>();
  /** Tasks added to a list being created, by its local id, in order: handed to `addTasks` once it has its server id. */
  private readonly waitingTasks = new Map<string, readonly NewTask[]>();
  /** Lists the real-time layer is catching up with (`awaitCatchUp` … `caughtUp`); a queue made meanwhile waits too. */
  private readonly catchingUp = new Set<string>();
  /** The user signed out (`dispose`): nothing is sent any more. */
  private disposed = false;
  private status: ListsSnapshot['status'] = 'loading';
  private error: ApiError | null = null;
  private readonly listeners = new Set<() => void>();
  private snapshot: ListsSnapshot;
  /**
   * For each load on its way: what the server told us since it was sent (a list, or null for one that
   * went), which its older answer must not undo: a list joined while the app was still loading stays.
   */
  private readonly sinceLoadsSent = new Set<Map<string, TaskList | null>>();

  constructor(
    private readonly api: ListsApi,
    private readonly options: ListsStoreOptions = {},
  ) {
    this.snapshot = this.computeSnapshot();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ListsSnapshot => this.snapshot;

  async load(): Promise<void> {
    if (this.disposed) return;
    const since = new Map<string, TaskList | null>();
    this.sinceLoadsSent.add(since);
    try {
      const lists = await this.api.listLists();
      this.confirmed = new Map(lists.map((list) => [list.id, list]));
      for (const [listId, list] of since) {
        if (list) this.keepNewer(list);
        else this.confirmed.delete(listId);
      }
      this.status = 'ready';
      this.error = null;
    } catch (error) {
      if (this.status !== 'ready') {
        this.status = 'error';
        this.error = toApiError(error);
      }
    } finally {
      this.sinceLoadsSent.delete(since);
    }
    this.emit();
  }

  /** A list as the server now has it (a response or a real-time event). */
  applyServerList(list: TaskList): void {
    if (this.keepNewer(list)) this.emit();
  }

  /**
   * A list from someone's change event: it carries the *writer's* role, so the user's own role is kept.
   * Lists not known here are ignored (a list shared with the user arrives through a reload).
   */
  applyServerListChange(list: TaskList, mutationId?: string | null): void {
    const current = this.confirmed.get(list.id);
    const newer = current !== undefined && this.keepNewer({ ...list, role: current.role });
    const queue = this.queues.get(list.id);
    const write = mutationId ? queue?.find(mutationId) : undefined;
    // The server applied it (its echo came): never sent again. One on its way is left to its answer.
    const settled = write && queue?.settleByEcho(write.key);
    if (settled) {
      this.pending = this.pending.filter((candidate) => candidate !== settled.change);
      settled.settle(true);
    }
    if (newer || write) this.emit();
  }

  /** The list as shown (pending changes included), if the user has it; one created here also by its local id. */
  find(listId: string): ListView | undefined {
    const id = this.serverIdOf(listId);
    return this.snapshot.lists.find((list) => list.id === id);
  }

  private keepNewer(list: TaskList): boolean {
    const current = this.confirmed.get(list.id);
    if (current && current.version > list.version) return false;
    this.confirm(list.id, list);
    return true;
  }

  /** Records what the server said of a list (null: it is gone), also for the loads on their way. */
  private confirm(listId: string, list: TaskList | null): void {
    if (list) this.confirmed.set(listId, list);
    else this.confirmed.delete(listId);
    for (const since of this.sinceLoadsSent) since.set(listId, list);
  }

  /**
   * The server announced a list created under `mutationId`. If it is one this tab is still creating, its answer has
   * not arrived yet: the list is already shown (under its local id), so the copy a reload brings is not shown twice.
   */
  applyAnnouncedCreation(listId: string, mutationId: string): void {
    if (!this.pending.some((change) => change.kind === 'create' && change.key === mutationId)) return;
    this.announcedCreations.set(mutationId, listId);
    this.emit();
  }

  /** The list is gone for this user (deleted, or their access removed). */
  applyServerRemoval(listId: string): void {
    const known = this.confirmed.has(listId);
    this.confirm(listId, null);
    if (known) this.emit();
  }

  /**
   * Shows the new list at once; resolves with the list as the server created it. The creation is queued like the
   * list's other writes: one that cannot reach the server (offline, 503) keeps the list shown, with its waiting tasks
   * and writes, and is sent again later with the same Idempotency-Key (the server replays a keyed POST's answer, so
   * a creation whose answer was lost is not made twice). A refusal drops the list, reported once; so does signing out.
   */
  createList(name: string): Promise<TaskList> {
    if (this.disposed) return Promise.reject(new ApiError('network_error', 0, 'Signed out.'));
    const key = newIdempotencyKey();
    const now = (this.options.now?.() ?? new Date()).toISOString();
    const last = [...this.snapshot.lists].pop();
    const list: TaskList = {
      id: `local:${key}`,
      workspaceId: '',
      name: name.trim(),
      position: positionBetween(last?.position ?? null, null),
      version: 0,
      archived: false,
      archivedAt: null,
      role: 'owner',
      createdBy: '',
      createdAt: now,
      updatedAt: now,
    };
    const change: ListChange = { kind: 'create', key, list };
    let created: TaskList | undefined;
    const creating = new Promise<TaskList>((resolve, reject) => {
      const write: QueuedWrite = {
        key,
        change,
        send: async () => {
          const answer = await this.api.createList(list.name, key);
          created = answer;
          // In the same update that drops the local copy (`onSettled`): its pending changes show on the server's list at once.
          this.serverIds.set(list.id, answer.id);
          this.confirm(answer.id, answer);
          const waiting = this.waitingTasks.get(list.id);
          this.waitingTasks.delete(list.id);
          // Not into a list the user deleted meanwhile (its deletion follows): each would be refused, one error apiece.
          const deleted = this.pending.some((pending) => pending.kind === 'delete' && pending.listId === list.id);
          if (waiting && !deleted && !this.disposed) this.options.addTasks?.(answer.id, waiting);
        },
        settle: (saved, error) => {
          if (saved && created) resolve(created);
          else reject(error ?? new ApiError('network_error', 0, 'Signed out.'));
        },
      };
      this.pending = [...this.pending, change];
      // Under its local id: no write of another list waits for it, and no catch-up holds it (nothing watches it yet).
      this.queueOf(list.id).push(write);
    });
    const creation = creating.then(
      (answer) => answer.id,
      () => null,
    );
    this.creations.set(list.id, creation);
    // Runs just before the waiting writes are queued (reactions run in order): a later write goes straight behind them.
    void creation.then(() => {
      this.creations.delete(list.id);
      this.announcedCreations.delete(key);
      // A failed creation takes its waiting tasks along (already gone from view with the list; its error is the one reported).
      this.waitingTasks.delete(list.id);
    });
    return creating;
  }

  /**
   * Adds a task to a list. The server has no list yet to add it to while the list is being created here: the task waits
   * in this store (shown with the list, `waitingTasks`), so it survives the list's screen being left, and is handed to
   * `addTasks` after those added before it once the server has created the list; dropped if that failed.
   */
  addTask(listId: string, task: NewTask): void {
    if (this.disposed) return;
    const serverId = this.serverIdOf(listId);
    if (!isLocalId(serverId)) {
      this.options.addTasks?.(serverId, [task]);
      return;
    }
    if (!this.creations.has(listId)) return; // its creation failed: the list is gone
    this.waitingTasks.set(listId, [...(this.waitingTasks.get(listId) ?? []), task]);
    this.emit();
  }

  /**
   * The rename shows at once; resolves true once saved, false when the server refused it (already reported,
   * and reverted). Offline it stays shown and waits for the connection.
   */
  renameList(listId: string, name: string): Promise<boolean> {
    return this.update(listId, { name: name.trim() });
  }

  setArchived(listId: string, archived: boolean): Promise<boolean> {
    return this.update(listId, { archived });
  }

  /**
   * The list is hidden at once; resolves true once deleted. A list still being created is deleted once the server has
   * it (false if the creation failed: there is nothing to delete).
   */
  deleteList(listId: string): Promise<boolean> {
    const key = newIdempotencyKey();
    return this.queue({ kind: 'delete', key, listId }, async () => {
      const id = this.serverIdOf(listId);
      try {
        await this.api.deleteList(id, key);
      } catch (error) {
        // Gone already (our earlier try, whose answer was lost, or someone else): what the user asked for.
        if (toApiError(error).code !== 'not_found') throw error;
      }
      this.confirm(id, null);
    });
  }

  private update(listId: string, changes: { name?: string; archived?: boolean }): Promise<boolean> {
    const key = newIdempotencyKey();
    return this.queue({ kind: 'update', key, listId, changes }, async () => {
      this.keepNewer(await this.api.updateList(this.serverIdOf(listId), changes, key));
    });
  }

  // --- the write queues ------------------------------------------------------------------------

  /** The id the server knows a list by: a list created here is written to under its local id until it has one. */
  private serverIdOf(listId: string): string {
    return this.serverIds.get(listId) ?? listId;
  }

  private queue(change: ListWrite, send: () => Promise<void>): Promise<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return new Promise((settle) => {
      const write: QueuedWrite = { key: change.key, change, send, settle: (saved) => settle(saved) };
      this.pending = [...this.pending, change];
      const creation = this.creations.get(change.listId);
      if (!creation) {
        this.queueOf(this.serverIdOf(change.listId)).push(write);
        return;
      }
      // The server has no such list yet: shown now, queued (in order) once it has, or dropped with the list.
      this.emit();
      void creation.then((serverId) => {
        if (serverId && !this.disposed) this.queueOf(serverId).push(write);
        else this.dropUnsent(write);
      });
    });
  }

  /** A write that was never sent leaves (its list's creation failed, already reported; or the user signed out). */
  private dropUnsent(write: QueuedWrite): void {
    this.pending = this.pending.filter((candidate) => candidate !== write.change);
    this.emit();
    write.settle(false);
  }

  private queueOf(listId: string): WriteQueue<QueuedWrite> {
    const existing = this.queues.get(listId);
    if (existing) return existing;
    const queue: WriteQueue<QueuedWrite> = new WriteQueue<QueuedWrite>({
      send: (write) => write.send(),
      onSettled: (write, outcome) => {
        if (!outcome.saved) this.options.onError?.(outcome.error);
        // Dropping a refused change reverts it; a saved one's answer was recorded by `send` (no flicker).
        this.pending = this.pending.filter((candidate) => candidate !== write.change);
        this.emit();
        if (outcome.saved) write.settle(true);
        else write.settle(false, outcome.error);
      },
      onChange: () => this.emit(),
      // A list with nothing queued, sending or waiting needs no queue.
      onIdle: () => {
        if (this.queues.get(listId) === queue) this.queues.delete(listId);
      },
      retryDelayMs: this.options.retryDelayMs,
      catchUpHoldMs: this.options.catchUpHoldMs,
    });
    if (this.catchingUp.has(listId)) queue.awaitCatchUp();
    this.queues.set(listId, queue);
    return queue;
  }

  /**
   * Sends what is queued now instead of waiting for the next retry (the connection is back); a write of a
   * list being caught up with that failed by network error waits for `caughtUp` instead, or its bound.
   */
  retryNow(): void {
    if (this.disposed) return;
    for (const queue of [...this.queues.values()]) queue.retryNow();
  }

  /**
   * The real-time layer lost, or is replaying, `listId`'s stream: a write of it that may have been applied waits,
   * for at most `catchUpHoldMs` from now or from its last failure.
   */
  awaitCatchUp(listId: string): void {
    if (this.catchingUp.has(listId)) return;
    this.catchingUp.add(listId);
    this.queues.get(listId)?.awaitCatchUp();
  }

  /** The list caught up: its writes still queued may go. */
  caughtUp(listId: string): void {
    if (!this.catchingUp.delete(listId)) return;
    this.queues.get(listId)?.caughtUp();
  }

  /**
   * The user signed out (or another signed in): the queued writes are dropped (each resolves false, unsaved),
   * their retry timers cleared, and nothing is sent any more, as a later request would carry the next user's
   * cookie. A write on its way gets its answer, which changes nothing.
   */
  dispose(): void {
    this.disposed = true;
    const dropped = [...this.queues.values()].flatMap((queue) => queue.dispose());
    this.queues.clear();
    this.pending = [];
    this.waitingTasks.clear();
    this.emit();
    for (const write of dropped) write.settle(false);
  }

  private emit(): void {
    this.snapshot = this.computeSnapshot();
    for (const listener of this.listeners) listener();
  }

  private computeSnapshot(): ListsSnapshot {
    const shown = new Map<string, ListView>();
    const shownUnderLocalId = new Set(
      this.pending.flatMap((change) => (change.kind === 'create' && this.announcedCreations.has(change.key) ? [this.announcedCreations.get(change.key)] : [])),
    );
    for (const [id, list] of this.confirmed) if (!shownUnderLocalId.has(id)) shown.set(id, { ...list, pending: false });
    for (const change of this.pending) {
      if (change.kind === 'create') {
        const waitingTasks = this.waitingTasks.get(change.list.id);
        shown.set(change.list.id, { ...change.list, pending: true, ...(waitingTasks ? { waitingTasks } : {}) });
        continue;
      }
      const listId = this.serverIdOf(change.listId);
      const current = shown.get(listId);
      if (!current) continue;
      if (change.kind === 'delete') {
        shown.delete(listId);
        continue;
      }
      const next: ListView = { ...current, pending: true };
      if (change.changes.name !== undefined) next.name = change.changes.name;
      if (change.changes.archived !== undefined) next.archived = change.changes.archived;
      shown.set(listId, next);
    }
    return {
      status: this.status,
      error: this.error,
      lists: [...shown.values()].sort(comparePositions),
      saving: this.pending.length > 0,
      stalledBy: this.stalledBy(),
    };
  }

  /** Why some list's next write waits, if one does: the network first (it says the most to the user). */
  private stalledBy(): ListsSnapshot['stalledBy'] {
    let by: ListsSnapshot['stalledBy'] = null;
    for (const queue of this.queues.values()) {
      if (queue.stalledBy === 'network') return 'network';
      by ??= queue.stalledBy;
    }
    return by;
  }
}
