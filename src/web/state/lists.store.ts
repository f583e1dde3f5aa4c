/**
 * The lists the user can open (sidebar), with optimistic changes over what the server confirmed.
 * Each list carries a `version` that only grows, so an older answer never overwrites a newer one.
 * Renames, archiving and deletions of a list go to the server one at a time, in order (each list has its own
 * queue: one list's waiting write does not hold back another's); one that cannot reach it
 * (offline, 503) stays shown and queued, and is sent again later with the same Idempotency-Key, like
 * the task changes of a list (list-tasks.store.ts). As there, a rename or archive whose real-time echo (its
 * key as `mutationId`, in the list's own stream) arrives is done and never sent again, and while a watched
 * list catches up after reconnecting, a write of it that failed by network error waits for the replay, for
 * at most `catchUpHoldMs` (15 s; then it is sent anyway). A
 * list's deletion carries no mutation id (the server records it as a workspace event): sent again after its
 * answer was lost, it is refused as not found, which means done: the list is gone either way.
 */
import { comparePositions, positionBetween } from '../../core/ordering.js';
import type { TaskList } from '../../core/schemas/index.js';
import { ApiError, newIdempotencyKey, toApiError, type ClientErrorCode } from '../api/client.js';
import type { api } from '../api/endpoints.js';
import { backoffDelay } from '../realtime/backoff.js';
import { defaultCatchUpHoldMs } from './list-tasks.store.js';

export type ListsApi = Pick<typeof api, 'listLists' | 'createList' | 'updateList' | 'deleteList'>;

export interface ListView extends TaskList {
  /** Shown before the server confirmed it (creation, rename, archive). */
  pending: boolean;
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
  change: ListWrite;
  send: () => Promise<void>;
  settle: (saved: boolean) => void;
}

/** One list's writes, sent one at a time in order; `stalledBy` while the head could not reach the server. */
interface ListQueue {
  listId: string;
  writes: QueuedWrite[];
  sending: boolean;
  /** The write being sent now (its answer is on its way). */
  inFlight: QueuedWrite | null;
  stalledBy: 'network' | 'server' | null;
  retryAttempt: number;
  /** Always pending while stalled. */
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Until when (`Date.now()`) a head that failed by network error waits for the list to catch up. */
  holdUntil: number;
}

export interface ListsStoreOptions {
  onError?: (error: ApiError) => void;
  now?: () => Date;
  /** Milliseconds before sending again a change that could not reach the server (attempt 0, 1, …). */
  retryDelayMs?: (attempt: number) => number;
  /** The longest a write that failed by network error waits for its list to catch up (default 15 s). */
  catchUpHoldMs?: number;
}

/** Failures that say nothing about the change itself: keep it and send it again later. */
const transientCodes = new Set<ClientErrorCode>(['network_error', 'service_unavailable', 'idempotency_key_in_progress', 'too_many_requests']);
const writeRetryBackoff = { baseMs: 1_000, maxMs: 30_000 };

export class ListsStore {
  private confirmed = new Map<string, TaskList>();
  private pending: ListChange[] = [];
  /** Each list's queued writes (a list's entry goes once nothing of it is queued). */
  private readonly queues = new Map<string, ListQueue>();
  /** Keys of queued writes whose echo arrived: the server applied them, answered or not. */
  private readonly echoed = new Set<string>();
  /** Lists the real-time layer is catching up with (`awaitCatchUp` … `caughtUp`). */
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
    const write = mutationId ? queue?.writes.find((candidate) => candidate.change.key === mutationId) : undefined;
    if (queue && write) this.settleByEcho(queue, write);
    if (newer || write) this.emit();
  }

  /**
   * The server applied a queued write (its echo came): never send it again. One on its way is left to its
   * answer (should that be lost, `drain` takes the echo for it); any other leaves the queue as saved.
   */
  private settleByEcho(queue: ListQueue, write: QueuedWrite): void {
    if (queue.inFlight === write) {
      this.echoed.add(write.change.key);
      return;
    }
    queue.writes = queue.writes.filter((candidate) => candidate !== write);
    this.pending = this.pending.filter((candidate) => candidate !== write.change);
    if (queue.writes.length === 0) {
      // Nothing of the list left to send: no longer saving, nor waiting for the connection.
      clearTimeout(queue.retryTimer);
      queue.retryTimer = undefined;
      queue.stalledBy = null;
      this.forgetIfIdle(queue);
    }
    write.settle(true);
  }

  /** The list as shown (pending changes included), if the user has it. */
  find(listId: string): ListView | undefined {
    return this.snapshot.lists.find((list) => list.id === listId);
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

  /** The list is gone for this user (deleted, or their access removed). */
  applyServerRemoval(listId: string): void {
    const known = this.confirmed.has(listId);
    this.confirm(listId, null);
    if (known) this.emit();
  }

  /** Shows the new list at once; resolves with the list as the server created it. */
  async createList(name: string): Promise<TaskList> {
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
    return this.run(
      { kind: 'create', key, list },
      () => this.api.createList(list.name, key),
      (created) => this.confirm(created.id, created),
    );
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

  deleteList(listId: string): Promise<boolean> {
    const key = newIdempotencyKey();
    return this.queue({ kind: 'delete', key, listId }, async () => {
      try {
        await this.api.deleteList(listId, key);
      } catch (error) {
        // Gone already (our earlier try, whose answer was lost, or someone else): what the user asked for.
        if (toApiError(error).code !== 'not_found') throw error;
      }
      this.confirm(listId, null);
    });
  }

  private update(listId: string, changes: { name?: string; archived?: boolean }): Promise<boolean> {
    const key = newIdempotencyKey();
    return this.queue({ kind: 'update', key, listId, changes }, async () => {
      this.keepNewer(await this.api.updateList(listId, changes, key));
    });
  }

  // --- the write queue -------------------------------------------------------------------------

  private queue(change: ListWrite, send: () => Promise<void>): Promise<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return new Promise((settle) => {
      let queue = this.queues.get(change.listId);
      if (!queue) {
        queue = { listId: change.listId, writes: [], sending: false, inFlight: null, stalledBy: null, retryAttempt: 0, retryTimer: undefined, holdUntil: 0 };
        this.queues.set(change.listId, queue);
      }
      this.pending = [...this.pending, change];
      queue.writes.push({ change, send, settle });
      this.emit();
      void this.drain(queue);
    });
  }

  /**
   * Sends what is queued now instead of waiting for the next retry (the connection is back); a write of a
   * list being caught up with that failed by network error waits for `caughtUp` instead, or its bound.
   */
  retryNow(): void {
    if (this.disposed) return;
    for (const queue of [...this.queues.values()]) this.retryQueue(queue);
  }

  private retryQueue(queue: ListQueue): void {
    if (this.waitsForCatchUp(queue)) {
      // The connection is back but the list's replay is not in: send at the wait's bound, not the backoff's.
      this.armRetry(queue, queue.holdUntil - Date.now());
      return;
    }
    clearTimeout(queue.retryTimer);
    queue.retryTimer = undefined;
    queue.retryAttempt = 0;
    if (!queue.stalledBy) return;
    queue.stalledBy = null;
    this.emit();
    void this.drain(queue);
  }

  /**
   * The real-time layer lost, or is replaying, `listId`'s stream: a write of it that may have been applied waits,
   * for at most `catchUpHoldMs` from now or from its last failure (as in list-tasks.store.ts `awaitCatchUp`).
   */
  awaitCatchUp(listId: string): void {
    if (this.catchingUp.has(listId)) return;
    this.catchingUp.add(listId);
    const queue = this.queues.get(listId);
    if (queue) queue.holdUntil = Date.now() + this.catchUpHoldMs;
  }

  /** The list caught up: its writes still queued may go. */
  caughtUp(listId: string): void {
    if (!this.catchingUp.delete(listId)) return;
    const queue = this.queues.get(listId);
    if (queue) this.retryQueue(queue);
  }

  /** The list's next write failed by network error (it may have been applied) and its echoes are still to come, for a while. */
  private waitsForCatchUp(queue: ListQueue): boolean {
    return queue.stalledBy === 'network' && this.catchingUp.has(queue.listId) && Date.now() < queue.holdUntil;
  }

  private get catchUpHoldMs(): number {
    return this.options.catchUpHoldMs ?? defaultCatchUpHoldMs;
  }

  /**
   * The user signed out (or another signed in): the queued writes are dropped (each resolves false, unsaved),
   * their retry timers cleared, and nothing is sent any more, as a later request would carry the next user's
   * cookie. A write on its way gets its answer, which changes nothing.
   */
  dispose(): void {
    this.disposed = true;
    const dropped = [...this.queues.values()].flatMap((queue) => {
      clearTimeout(queue.retryTimer);
      queue.retryTimer = undefined;
      return queue.writes;
    });
    this.queues.clear();
    this.pending = [];
    this.emit();
    for (const write of dropped) write.settle(false);
  }

  private async drain(queue: ListQueue): Promise<void> {
    if (this.disposed || queue.sending || queue.stalledBy) return;
    queue.sending = true;
    try {
      for (let write = queue.writes[0]; write; write = queue.writes[0]) {
        let saved = true;
        queue.inFlight = write;
        try {
          // Records the answer in the same update that drops the change (no flicker).
          await write.send();
          if (this.disposed) return;
          queue.retryAttempt = 0;
        } catch (error) {
          if (this.disposed) return;
          const apiError = toApiError(error);
          if (transientCodes.has(apiError.code) && this.echoed.has(write.change.key)) {
            // Its echo came while it was on its way: applied, only the answer was lost.
            queue.retryAttempt = 0;
          } else if (transientCodes.has(apiError.code)) {
            this.stall(queue, apiError.code === 'network_error' ? 'network' : 'server');
            return;
          } else {
            saved = false;
            this.options.onError?.(apiError);
          }
        } finally {
          queue.inFlight = null;
        }
        // Dropping a refused change reverts it.
        queue.writes = queue.writes.filter((candidate) => candidate !== write);
        this.pending = this.pending.filter((candidate) => candidate !== write.change);
        this.echoed.delete(write.change.key);
        this.emit();
        write.settle(saved);
      }
    } finally {
      queue.sending = false;
      this.forgetIfIdle(queue);
    }
  }

  /** Keeps the list's queue (and what it shows) and tries again later; `retryNow` cuts the wait short. */
  private stall(queue: ListQueue, by: 'network' | 'server'): void {
    queue.stalledBy = by;
    // Failed again while the list catches up: the network is down too, so the wait starts over.
    if (by === 'network') queue.holdUntil = Date.now() + this.catchUpHoldMs;
    this.emit();
    const delay = this.options.retryDelayMs?.(queue.retryAttempt) ?? backoffDelay(queue.retryAttempt, writeRetryBackoff);
    queue.retryAttempt++;
    this.armRetry(queue, delay);
  }

  private armRetry(queue: ListQueue, delay: number): void {
    clearTimeout(queue.retryTimer);
    queue.retryTimer = setTimeout(() => {
      queue.retryTimer = undefined;
      if (this.disposed) return;
      // As in the tasks store (list-tasks.store.ts `armRetry`): while the list catches up, `caughtUp` sends it,
      // or this timer once the wait's bound has passed.
      if (this.waitsForCatchUp(queue)) {
        this.armRetry(queue, Math.max(0, queue.holdUntil - Date.now()));
        return;
      }
      queue.stalledBy = null;
      this.emit();
      void this.drain(queue);
    }, delay);
  }

  /** A list with nothing queued, sending or waiting needs no queue. */
  private forgetIfIdle(queue: ListQueue): void {
    if (queue.writes.length === 0 && !queue.sending && !queue.stalledBy && this.queues.get(queue.listId) === queue) this.queues.delete(queue.listId);
  }

  /**
   * A creation: shows `change` at once, then runs `call`; `confirm` records the answer in the same update that
   * drops the change (no flicker). On failure the change is dropped, which reverts it, and reported.
   */
  private async run<T>(change: ListChange, call: () => Promise<T>, confirm: (result: T) => void): Promise<T> {
    if (this.disposed) throw new ApiError('network_error', 0, 'Signed out.');
    this.pending = [...this.pending, change];
    this.emit();
    try {
      const result = await call();
      confirm(result);
      return result;
    } catch (error) {
      const apiError = toApiError(error);
      this.options.onError?.(apiError);
      throw apiError;
    } finally {
      this.pending = this.pending.filter((candidate) => candidate !== change);
      this.emit();
    }
  }

  private emit(): void {
    this.snapshot = this.computeSnapshot();
    for (const listener of this.listeners) listener();
  }

  private computeSnapshot(): ListsSnapshot {
    const shown = new Map<string, ListView>();
    for (const [id, list] of this.confirmed) shown.set(id, { ...list, pending: false });
    for (const change of this.pending) {
      if (change.kind === 'create') {
        shown.set(change.list.id, { ...change.list, pending: true });
        continue;
      }
      const current = shown.get(change.listId);
      if (!current) continue;
      if (change.kind === 'delete') {
        shown.delete(change.listId);
        continue;
      }
      const next: ListView = { ...current, pending: true };
      if (change.changes.name !== undefined) next.name = change.changes.name;
      if (change.changes.archived !== undefined) next.archived = change.changes.archived;
      shown.set(change.listId, next);
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
