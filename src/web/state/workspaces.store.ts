/**
 * The user's workspaces (personal and teams) and the one chosen in the sidebar, remembered per user
 * in this browser. The lists store keeps every list; the sidebar shows those of the chosen workspace.
 */
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import type { CollaborationApi } from '../api/collaboration.js';

export type WorkspacesApi = Pick<CollaborationApi, 'listWorkspaces' | 'createWorkspace'>;

export interface WorkspacesSnapshot {
  /** Personal first, then teams by name. */
  workspaces: readonly WorkspaceSummary[];
  /** The chosen workspace (the personal one unless another was chosen). */
  selected: WorkspaceSummary | null;
}

interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function defaultStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const sorted = (workspaces: readonly WorkspaceSummary[]) =>
  [...workspaces].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'personal' ? -1 : 1));

export class WorkspacesStore {
  private workspaces: readonly WorkspaceSummary[];
  private selectedId: string | null;
  private snapshot: WorkspacesSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly storageKey: string;
  private readonly noticed = new Set<string>();
  /** For each refresh on its way: the workspaces created since it was sent, which its older answer lacks. */
  private readonly createdSinceRefreshesSent = new Set<Map<string, WorkspaceSummary>>();

  constructor(
    private readonly api: WorkspacesApi,
    userId: string,
    initial: readonly WorkspaceSummary[],
    private readonly storage: KeyValueStorage | null = defaultStorage(),
  ) {
    this.storageKey = `listo.workspace.${userId}`;
    this.workspaces = sorted(initial);
    this.selectedId = storage?.getItem(this.storageKey) ?? null;
    this.snapshot = this.compute();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WorkspacesSnapshot => this.snapshot;

  /** Is this one of the user's workspaces (lists elsewhere are shared from someone's personal space)? */
  isMine(workspaceId: string): boolean {
    return this.workspaces.some((workspace) => workspace.id === workspaceId);
  }

  /**
   * A list of a workspace not known here arrived (the user was just added to a team): refresh once per
   * such workspace. Lists shared from someone's personal workspace stay unknown, and cost one request.
   */
  noticeWorkspace(workspaceId: string): void {
    if (!workspaceId || this.isMine(workspaceId) || this.noticed.has(workspaceId)) return;
    this.noticed.add(workspaceId);
    void this.refresh();
  }

  select(workspaceId: string): void {
    if (!this.isMine(workspaceId) || this.snapshot.selected?.id === workspaceId) return;
    this.selectedId = workspaceId;
    try {
      this.storage?.setItem(this.storageKey, workspaceId);
    } catch {
      // storage full or blocked: the choice lasts for this page only
    }
    this.emit();
  }

  async refresh(): Promise<void> {
    const created = new Map<string, WorkspaceSummary>();
    this.createdSinceRefreshesSent.add(created);
    try {
      const answer = await this.api.listWorkspaces();
      this.workspaces = sorted([...answer.filter((workspace) => !created.has(workspace.id)), ...created.values()]);
      this.emit();
    } catch {
      // keep what is shown
    } finally {
      this.createdSinceRefreshesSent.delete(created);
    }
  }

  /** Creates a team workspace (the user is its admin) and chooses it. */
  async create(name: string): Promise<WorkspaceSummary> {
    try {
      const workspace = await this.api.createWorkspace(name);
      this.applyJoined(workspace);
      this.select(workspace.id);
      return workspace;
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * A workspace the user just joined (an invitation accepted): in the switcher at once, without waiting for a refresh,
   * and kept by any refresh already on its way (whose answer may predate the joining).
   */
  applyJoined(workspace: WorkspaceSummary): void {
    this.workspaces = sorted([...this.workspaces.filter((candidate) => candidate.id !== workspace.id), workspace]);
    for (const created of this.createdSinceRefreshesSent) created.set(workspace.id, workspace);
    this.emit();
  }

  private emit(): void {
    this.snapshot = this.compute();
    for (const listener of this.listeners) listener();
  }

  private compute(): WorkspacesSnapshot {
    const selected =
      this.workspaces.find((workspace) => workspace.id === this.selectedId) ??
      this.workspaces.find((workspace) => workspace.kind === 'personal') ??
      this.workspaces[0] ??
      null;
    return { workspaces: this.workspaces, selected };
  }
}
