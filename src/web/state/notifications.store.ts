/**
 * The bell: the user's notifications (invited, assigned, mentioned) with the unread count, and their
 * pending invitations, to lists and to team workspaces. Refreshed every 30 s while the page is visible and whenever
 * it gets focus; a real-time client calls `refreshNotifications()` on `notification.created` / `invitation.created`,
 * and hands on the workspace invitations it is told of (`showWorkspaceInvitation`, `dropWorkspaceInvitation`).
 */
import type { Notification, PendingInvitation, PendingWorkspaceInvitation, TaskList, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError, type ApiError } from '../api/client.js';
import type { CollaborationApi } from '../api/collaboration.js';
import { coalesced } from '../lib/coalesced.js';

export type NotificationsApi = Pick<
  CollaborationApi,
  | 'listNotifications'
  | 'markNotificationRead'
  | 'markAllNotificationsRead'
  | 'listMyInvitations'
  | 'acceptInvitation'
  | 'declineInvitation'
  | 'listMyWorkspaceInvitations'
  | 'acceptWorkspaceInvitation'
  | 'declineWorkspaceInvitation'
>;

export interface NotificationsSnapshot {
  status: 'loading' | 'ready' | 'error';
  error: ApiError | null;
  /** Newest first. */
  items: readonly Notification[];
  unreadCount: number;
  /** Invitations waiting for the user's answer. */
  invitations: readonly PendingInvitation[];
  /** Invitations to team workspaces waiting for the user's answer, oldest first. */
  workspaceInvitations: readonly PendingWorkspaceInvitation[];
}

export interface NotificationsStoreOptions {
  /** Milliseconds between refreshes while the page is visible. */
  pollMs?: number;
}

export class NotificationsStore {
  private snapshot: NotificationsSnapshot = { status: 'loading', error: null, items: [], unreadCount: 0, invitations: [], workspaceInvitations: [] };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: NotificationsApi,
    private readonly options: NotificationsStoreOptions = {},
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): NotificationsSnapshot => this.snapshot;

  /**
   * Fetches notifications and pending invitations again. Calls during a refresh are folded into one
   * more refresh after it, so a burst of pushes costs at most two requests of each.
   */
  refreshNotifications = coalesced(() => this.fetch());

  private async fetch(): Promise<void> {
    try {
      const [page, invitations, workspaceInvitations] = await Promise.all([
        this.api.listNotifications(),
        this.api.listMyInvitations(),
        this.api.listMyWorkspaceInvitations(),
      ]);
      this.set({ status: 'ready', error: null, items: page.items, unreadCount: page.unreadCount, invitations, workspaceInvitations });
    } catch (error) {
      // Keep what is shown; only a first load that fails is an error state.
      if (this.snapshot.status !== 'ready') this.set({ status: 'error', error: toApiError(error) });
    }
  }

  /** Starts refreshing on focus and every `pollMs`; returns the function that stops it. */
  start(
    target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window,
    isHidden: () => boolean = () => document.visibilityState === 'hidden',
  ): () => void {
    void this.refreshNotifications();
    const onFocus = () => void this.refreshNotifications();
    const timer = setInterval(() => {
      if (!isHidden()) void this.refreshNotifications();
    }, this.options.pollMs ?? 30_000);
    target.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      target.removeEventListener('focus', onFocus);
    };
  }

  /** Marks one read at once; puts it back if the server refuses. */
  async markRead(notificationId: string): Promise<void> {
    const target = this.snapshot.items.find((item) => item.id === notificationId);
    if (!target || target.read) return;
    const before = this.snapshot;
    this.set({
      items: before.items.map((item) => (item.id === notificationId ? { ...item, read: true, readAt: new Date().toISOString() } : item)),
      unreadCount: Math.max(0, before.unreadCount - 1),
    });
    try {
      await this.api.markNotificationRead(notificationId);
    } catch (error) {
      void this.refreshNotifications();
      throw toApiError(error);
    }
  }

  async markAllRead(): Promise<void> {
    const now = new Date().toISOString();
    this.set({ items: this.snapshot.items.map((item) => (item.read ? item : { ...item, read: true, readAt: now })), unreadCount: 0 });
    try {
      await this.api.markAllNotificationsRead();
    } catch (error) {
      void this.refreshNotifications();
      throw toApiError(error);
    }
  }

  /** Joins the list; resolves with it (with the user's new role) for opening. */
  async acceptInvitation(invitationId: string): Promise<TaskList> {
    try {
      const list = await this.api.acceptInvitation(invitationId);
      this.answered(invitationId);
      return list;
    } catch (error) {
      void this.refreshNotifications(); // answered elsewhere, revoked, expired: show what is true now
      throw toApiError(error);
    }
  }

  async declineInvitation(invitationId: string): Promise<void> {
    try {
      await this.api.declineInvitation(invitationId);
      // The server deleted its notification with it.
      this.set({
        invitations: this.snapshot.invitations.filter((invitation) => invitation.id !== invitationId),
        items: this.snapshot.items.filter((item) => item.invitationId !== invitationId),
        unreadCount: Math.max(0, this.snapshot.unreadCount - this.snapshot.items.filter((item) => item.invitationId === invitationId && !item.read).length),
      });
    } catch (error) {
      void this.refreshNotifications();
      throw toApiError(error);
    }
  }

  /** Joins the workspace; resolves with it (with the user's role there). */
  async acceptWorkspaceInvitation(invitationId: string): Promise<WorkspaceSummary> {
    try {
      const workspace = await this.api.acceptWorkspaceInvitation(invitationId);
      this.dropWorkspaceInvitation(invitationId);
      return workspace;
    } catch (error) {
      void this.refreshNotifications(); // answered in another tab, withdrawn, replaced, expired: show what is true now
      throw toApiError(error);
    }
  }

  async declineWorkspaceInvitation(invitationId: string): Promise<void> {
    try {
      await this.api.declineWorkspaceInvitation(invitationId);
      this.dropWorkspaceInvitation(invitationId);
    } catch (error) {
      void this.refreshNotifications();
      throw toApiError(error);
    }
  }

  /** A workspace invitation the server announced (`workspace_invitation.created`): shown at once, in place of an older one of the same id. */
  showWorkspaceInvitation(invitation: PendingWorkspaceInvitation): void {
    this.set({ workspaceInvitations: [...this.snapshot.workspaceInvitations.filter((candidate) => candidate.id !== invitation.id), invitation] });
  }

  /** A workspace invitation answered (here or in another tab), withdrawn or replaced (`workspace_invitation.removed`). */
  dropWorkspaceInvitation(invitationId: string): void {
    if (!this.snapshot.workspaceInvitations.some((candidate) => candidate.id === invitationId)) return;
    this.set({ workspaceInvitations: this.snapshot.workspaceInvitations.filter((candidate) => candidate.id !== invitationId) });
  }

  /** An accepted invitation leaves the list, and its notification counts as read. */
  private answered(invitationId: string): void {
    const notification = this.snapshot.items.find((item) => item.invitationId === invitationId && !item.read);
    this.set({
      invitations: this.snapshot.invitations.filter((invitation) => invitation.id !== invitationId),
      ...(notification
        ? {
            items: this.snapshot.items.map((item) => (item === notification ? { ...item, read: true } : item)),
            unreadCount: Math.max(0, this.snapshot.unreadCount - 1),
          }
        : {}),
    });
    if (notification) void this.api.markNotificationRead(notification.id).catch(() => undefined);
  }

  private set(changes: Partial<NotificationsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }
}
