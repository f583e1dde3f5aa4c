/**
 * The lists the user can open (sidebar), with optimistic changes over what the server confirmed.
 * Each list carries a `version` that only grows, so an older answer never overwrites a newer one.
 */
import { comparePositions, positionBetween } from '../../core/ordering.js';
import type { TaskList } from '../../core/schemas/index.js';
import { ApiError, newIdempotencyKey, toApiError } from '../api/client.js';
import type { api } from '../api/endpoints.js';

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
}

type ListChange =
  | { kind: 'create'; key: string; list: TaskList }
  | { kind: 'update'; key: string; listId: string; changes: { name?: string; archived?: boolean } }
  | { kind: 'delete'; key: string; listId: string };

export interface ListsStoreOptions {
  onError?: (error: ApiError) => void;
  now?: () => Date;
}

export class ListsStore {
  private confirmed = new Map<string, TaskList>();
  private pending: ListChange[] = [];
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
  applyServerListChange(list: TaskList): void {
    const current = this.confirmed.get(list.id);
    if (current) this.applyServerList({ ...list, role: current.role });
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
    return this.run({ kind: 'create', key, list }, () => this.api.createList(list.name, key), (created) => this.confirm(created.id, created));
  }

  /** The rename shows at once; resolves false when the server refused it (already reported). */
  renameList(listId: string, name: string): Promise<boolean> {
    return this.update(listId, { name: name.trim() });
  }

  setArchived(listId: string, archived: boolean): Promise<boolean> {
    return this.update(listId, { archived });
  }

  async deleteList(listId: string): Promise<boolean> {
    return this.succeeded(this.run({ kind: 'delete', key: newIdempotencyKey(), listId }, () => this.api.deleteList(listId), () => this.confirm(listId, null)));
  }

  private update(listId: string, changes: { name?: string; archived?: boolean }): Promise<boolean> {
    return this.succeeded(
      this.run({ kind: 'update', key: newIdempotencyKey(), listId, changes }, () => this.api.updateList(listId, changes), (list) => this.keepNewer(list)),
    );
  }

  private succeeded(work: Promise<unknown>): Promise<boolean> {
    return work.then(
      () => true,
      () => false,
    );
  }

  /**
   * Shows `change` at once, then runs `call`; `confirm` records the answer in the same update that
   * drops the change (no flicker). On failure the change is dropped, which reverts it, and reported.
   */
  private async run<T>(change: ListChange, call: () => Promise<T>, confirm: (result: T) => void): Promise<T> {
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
    return { status: this.status, error: this.error, lists: [...shown.values()].sort(comparePositions) };
  }
}
