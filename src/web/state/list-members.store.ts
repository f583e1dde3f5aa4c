/**
 * The members of each list opened so far (people who can see it, with their roles), loaded on first
 * use and shared by everything that names people: avatars on tasks, the assignee picker, mentions,
 * the activity panel and the share dialog.
 */
import type { Member } from '../../core/schemas/index.js';
import { toApiError, type ApiError } from '../api/client.js';
import type { CollaborationApi } from '../api/collaboration.js';
import { coalesced } from '../lib/coalesced.js';

export type MembersApi = Pick<CollaborationApi, 'listMembers'>;

export interface ListMembersSnapshot {
  status: 'loading' | 'ready' | 'error';
  error: ApiError | null;
  /** Highest role first (owner, editors, …), as the API orders them. */
  members: readonly Member[];
}

export class ListMembersStore {
  private snapshot: ListMembersSnapshot = { status: 'loading', error: null, members: [] };
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;
  private loaded = false;
  private readonly missing = new Set<string>();

  constructor(
    readonly listId: string,
    private readonly api: MembersApi,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ListMembersSnapshot => this.snapshot;

  /** Loads once; later calls do nothing (use `reload` after a change). */
  ensureLoaded(): Promise<void> {
    if (this.loaded || this.loading) return this.loading ?? Promise.resolve();
    return this.reload();
  }

  /** Loads the members again; calls while a load is on its way are folded into one more load after it. */
  reload(): Promise<void> {
    const loading = this.loadAgain().finally(() => {
      if (this.loading === loading) this.loading = null;
    });
    this.loading = loading;
    return loading;
  }

  // The answer of a load on its way may predate the change that asked for this one.
  private readonly loadAgain = coalesced(async () => {
    try {
      const members = await this.api.listMembers(this.listId);
      this.loaded = true;
      this.set({ status: 'ready', error: null, members });
    } catch (error) {
      if (this.snapshot.status !== 'ready') this.set({ status: 'error', error: toApiError(error) });
    }
  });

  /**
   * Someone the screen must name (a new assignee) is not among the members loaded: they probably
   * joined since, so reload — once per person, so an unknown id cannot cause a reload loop.
   */
  ensureMember(userId: string): void {
    if (!this.loaded || this.snapshot.members.some((member) => member.userId === userId) || this.missing.has(userId)) return;
    this.missing.add(userId);
    void this.reload();
  }

  /** A member as the API answered a change (role change): shown at once, before the next reload. */
  applyMember(member: Member): void {
    this.set({ members: this.snapshot.members.map((candidate) => (candidate.userId === member.userId ? member : candidate)) });
  }

  private set(changes: Partial<ListMembersSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }
}

/** One store per list, created on first use. */
export class ListMembersCache {
  private readonly stores = new Map<string, ListMembersStore>();

  constructor(private readonly api: MembersApi) {}

  of(listId: string): ListMembersStore {
    let store = this.stores.get(listId);
    if (!store) {
      store = new ListMembersStore(listId, this.api);
      this.stores.set(listId, store);
    }
    return store;
  }

  /** Membership changed somewhere (a real-time `member.*` event): refresh that list's members if loaded. */
  invalidate(listId: string): void {
    void this.stores.get(listId)?.reload();
  }

  /** The user lost the list: its members are no longer theirs to ask for (that would be a 404); a later share starts afresh. */
  forget(listId: string): void {
    this.stores.delete(listId);
  }
}
