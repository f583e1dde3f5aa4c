import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Notification, PendingInvitation, PendingWorkspaceInvitation, TaskList } from '../../core/schemas/index.js';
import { ApiError } from '../api/client.js';
import { NotificationsStore, type NotificationsApi } from './notifications.store.js';

const notification = (id: string, extra: Partial<Notification> = {}): Notification => ({
  id,
  type: 'assigned',
  actorId: 'a',
  workspaceId: 'w',
  listId: 'l',
  taskId: 't',
  commentId: null,
  invitationId: null,
  data: {},
  read: false,
  readAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const invitation: PendingInvitation = {
  id: 'inv',
  listId: 'l2',
  listName: 'Groceries',
  role: 'editor',
  invitedBy: 'a',
  invitedByName: 'Ada',
  email: 'me@example.com',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-15T00:00:00.000Z',
};

const workspaceInvitation: PendingWorkspaceInvitation = {
  id: 'winv',
  workspaceId: 'w2',
  workspaceName: 'Acme',
  role: 'member',
  invitedBy: 'a',
  invitedByName: 'Ada',
  email: 'me@example.com',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-15T00:00:00.000Z',
};

function fakeApi(items: Notification[], invitations: PendingInvitation[] = [], workspaceInvitations: PendingWorkspaceInvitation[] = []) {
  const calls: string[] = [];
  const api = {
    listNotifications: vi.fn(async () => {
      calls.push('list');
      return { items, nextCursor: null, unreadCount: items.filter((item) => !item.read).length };
    }),
    listMyInvitations: vi.fn(async () => invitations),
    markNotificationRead: vi.fn(async (id: string) => void calls.push(`read ${id}`)),
    markAllNotificationsRead: vi.fn(async () => void calls.push('read all')),
    acceptInvitation: vi.fn(async () => ({ id: 'l2', name: 'Groceries' }) as TaskList),
    declineInvitation: vi.fn(async () => undefined),
    listMyWorkspaceInvitations: vi.fn(async () => workspaceInvitations),
    acceptWorkspaceInvitation: vi.fn(async () => ({ id: 'w2', name: 'Acme', kind: 'team' as const, role: 'member' as const })),
    declineWorkspaceInvitation: vi.fn(async () => undefined),
  } satisfies NotificationsApi;
  return { api, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('NotificationsStore', () => {
  it('loads notifications, the unread count and pending invitations', async () => {
    const { api } = fakeApi([notification('1'), notification('2', { read: true })], [invitation]);
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    expect(store.getSnapshot()).toMatchObject({ status: 'ready', unreadCount: 1, invitations: [invitation] });
    expect(store.getSnapshot().items).toHaveLength(2);
  });

  it('folds refreshes asked for during one into a single next one', async () => {
    const { api } = fakeApi([]);
    const store = new NotificationsStore(api);
    const first = store.refreshNotifications();
    void store.refreshNotifications();
    void store.refreshNotifications();
    await first;
    await store.refreshNotifications();
    expect(api.listNotifications.mock.calls.length).toBeLessThanOrEqual(3);
    expect(api.listNotifications.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('marks read at once, and all read', async () => {
    const { api, calls } = fakeApi([notification('1'), notification('2')]);
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    const marking = store.markRead('1');
    expect(store.getSnapshot().unreadCount).toBe(1);
    expect(store.getSnapshot().items[0]?.read).toBe(true);
    await marking;
    await store.markAllRead();
    expect(store.getSnapshot().unreadCount).toBe(0);
    expect(calls).toContain('read 1');
    expect(calls).toContain('read all');
  });

  it('shows the server’s truth again when marking read fails', async () => {
    const { api } = fakeApi([notification('1')]);
    api.markNotificationRead.mockRejectedValueOnce(new ApiError('not_found', 404, 'gone'));
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    await expect(store.markRead('1')).rejects.toMatchObject({ code: 'not_found' });
    await vi.waitFor(() => expect(store.getSnapshot().unreadCount).toBe(1));
  });

  it('accepting removes the invitation and reads its notification', async () => {
    const { api, calls } = fakeApi([notification('n1', { type: 'invited', invitationId: 'inv' })], [invitation]);
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    const list = await store.acceptInvitation('inv');
    expect(list.id).toBe('l2');
    expect(store.getSnapshot()).toMatchObject({ invitations: [], unreadCount: 0 });
    expect(calls).toContain('read n1');
  });

  it('declining removes the invitation and its notification, which the server deleted, without marking it read', async () => {
    const { api, calls } = fakeApi([notification('n1', { type: 'invited', invitationId: 'inv' }), notification('n2')], [invitation]);
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    await store.declineInvitation('inv');
    expect(store.getSnapshot()).toMatchObject({ invitations: [], unreadCount: 1 });
    expect(store.getSnapshot().items.map((item) => item.id)).toEqual(['n2']);
    expect(calls).not.toContain('read n1');
  });

  it('loads workspace invitations beside list invitations; accepting or declining one takes it out', async () => {
    const other = { ...workspaceInvitation, id: 'winv2', workspaceName: 'Globex' };
    const { api } = fakeApi([], [invitation], [workspaceInvitation, other]);
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    expect(store.getSnapshot()).toMatchObject({ invitations: [invitation], workspaceInvitations: [workspaceInvitation, other] });
    expect(await store.acceptWorkspaceInvitation('winv')).toMatchObject({ id: 'w2', role: 'member' });
    expect(store.getSnapshot().workspaceInvitations).toEqual([other]);
    await store.declineWorkspaceInvitation('winv2');
    expect(store.getSnapshot()).toMatchObject({ invitations: [invitation], workspaceInvitations: [] });
  });

  it('shows a workspace invitation the server announces at once, and drops one answered elsewhere or withdrawn', async () => {
    const { api } = fakeApi([]);
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    store.showWorkspaceInvitation(workspaceInvitation);
    store.showWorkspaceInvitation({ ...workspaceInvitation, role: 'admin' }); // the same one again: once
    expect(store.getSnapshot().workspaceInvitations).toEqual([{ ...workspaceInvitation, role: 'admin' }]);
    store.dropWorkspaceInvitation('winv');
    expect(store.getSnapshot().workspaceInvitations).toEqual([]);
  });

  it('a refused workspace answer (withdrawn meanwhile) reloads what is true', async () => {
    const { api } = fakeApi([], [], [workspaceInvitation]);
    api.acceptWorkspaceInvitation.mockRejectedValueOnce(new ApiError('gone', 410, 'This invitation was already revoked'));
    const store = new NotificationsStore(api);
    await store.refreshNotifications();
    api.listMyWorkspaceInvitations.mockResolvedValue([]);
    await expect(store.acceptWorkspaceInvitation('winv')).rejects.toMatchObject({ code: 'gone' });
    await vi.waitFor(() => expect(store.getSnapshot().workspaceInvitations).toEqual([]));
  });

  it('refreshes on focus and every interval while visible, until stopped', async () => {
    vi.useFakeTimers();
    const { api } = fakeApi([]);
    const store = new NotificationsStore(api, { pollMs: 1000 });
    const target = new EventTarget();
    let hidden = false;
    const stop = store.start(target as unknown as Window, () => hidden);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.listNotifications).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.listNotifications).toHaveBeenCalledTimes(2);
    hidden = true;
    await vi.advanceTimersByTimeAsync(3000);
    expect(api.listNotifications).toHaveBeenCalledTimes(2);
    target.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.listNotifications).toHaveBeenCalledTimes(3);
    stop();
    hidden = false;
    target.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.listNotifications).toHaveBeenCalledTimes(3);
  });
});
