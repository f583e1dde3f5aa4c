/**
 * Typed calls of the collaboration API (members, invitations, share links, comments, notifications,
 * workspaces, activity, assignments), validated with the shared schemas of `src/core`. Kept apart from
 * `endpoints.ts` so the task and list stores' API stays small.
 */
import { z } from 'zod';
import type { ListRole, WorkspaceRole } from '../../core/permissions.js';
import {
  activityPage,
  commentSchema,
  createdInvitationResponse,
  createdShareLinkResponse,
  createdWorkspaceInvitationResponse,
  invitationSchema,
  joinedWorkspaceResponse,
  listSchema,
  memberSchema,
  notificationPage,
  pageOf,
  pendingInvitationSchema,
  pendingWorkspaceInvitationSchema,
  shareLinkResponse,
  taskSchema,
  workspaceInvitationSchema,
  workspaceMemberSchema,
  workspaceSummarySchema,
  type ActivityEvent,
  type Comment,
  type Invitation,
  type Member,
  type Notification,
  type PendingInvitation,
  type PendingWorkspaceInvitation,
  type ShareLink,
  type Task,
  type TaskList,
  type WorkspaceInvitation,
  type WorkspaceMember,
  type WorkspaceSummary,
} from '../../core/schemas/index.js';
import { apiRequest } from './client.js';

const id = (value: string) => encodeURIComponent(value);
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const joined = z.object({ list: listSchema });

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface NotificationsPage extends Page<Notification> {
  unreadCount: number;
}

const withCursor = (path: string, cursor: string | null | undefined) =>
  cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path;

export const collaborationApi = {
  // --- members of a list ---
  listMembers: async (listId: string): Promise<Member[]> => (await apiRequest('GET', `/lists/${id(listId)}/members`, { schema: items(memberSchema) })).items,
  inviteMember: (listId: string, email: string, role: ListRole): Promise<{ invitation: Invitation; inviteUrl: string }> =>
    apiRequest('POST', `/lists/${id(listId)}/members`, { body: { email, role }, schema: createdInvitationResponse }),
  updateMemberRole: (listId: string, userId: string, role: ListRole): Promise<Member> =>
    apiRequest('PATCH', `/lists/${id(listId)}/members/${id(userId)}`, { body: { role }, schema: memberSchema }),
  /** Removes a member; with the caller's own id, leaves the list. */
  removeMember: (listId: string, userId: string): Promise<void> => apiRequest('DELETE', `/lists/${id(listId)}/members/${id(userId)}`),

  // --- invitations ---
  listListInvitations: async (listId: string): Promise<Invitation[]> =>
    (await apiRequest('GET', `/lists/${id(listId)}/invitations`, { schema: items(invitationSchema) })).items,
  revokeInvitation: (listId: string, invitationId: string): Promise<void> => apiRequest('DELETE', `/lists/${id(listId)}/invitations/${id(invitationId)}`),
  listMyInvitations: async (): Promise<PendingInvitation[]> => (await apiRequest('GET', '/invitations', { schema: items(pendingInvitationSchema) })).items,
  acceptInvitation: async (invitationId: string): Promise<TaskList> =>
    (await apiRequest('POST', `/invitations/${id(invitationId)}/accept`, { schema: joined })).list,
  declineInvitation: (invitationId: string): Promise<void> => apiRequest('POST', `/invitations/${id(invitationId)}/decline`),
  acceptInvitationToken: async (token: string): Promise<TaskList> =>
    (await apiRequest('POST', '/invitations/accept-token', { body: { token }, schema: joined })).list,

  // --- share links ---
  getShareLink: async (listId: string): Promise<ShareLink | null> =>
    (await apiRequest('GET', `/lists/${id(listId)}/share-link`, { schema: shareLinkResponse })).shareLink,
  /** A new link (the previous one stops working); its URL is only in this answer. */
  createShareLink: (listId: string, role: ListRole): Promise<{ shareLink: ShareLink; url: string }> =>
    apiRequest('POST', `/lists/${id(listId)}/share-link`, { body: { role }, schema: createdShareLinkResponse }),
  disableShareLink: (listId: string): Promise<void> => apiRequest('DELETE', `/lists/${id(listId)}/share-link`),
  joinWithShareLink: async (token: string): Promise<TaskList> => (await apiRequest('POST', '/share-links/join', { body: { token }, schema: joined })).list,

  // --- comments ---
  listComments: (taskId: string, cursor?: string | null): Promise<Page<Comment>> =>
    apiRequest('GET', withCursor(`/tasks/${id(taskId)}/comments?limit=100`, cursor), { schema: pageOf(commentSchema) }),
  createComment: (taskId: string, body: string, idempotencyKey?: string): Promise<Comment> =>
    apiRequest('POST', `/tasks/${id(taskId)}/comments`, { body: { body }, schema: commentSchema, ...(idempotencyKey ? { idempotencyKey } : {}) }),

  // --- notifications ---
  listNotifications: (limit = 30): Promise<NotificationsPage> => apiRequest('GET', `/notifications?limit=${limit}`, { schema: notificationPage }),
  markNotificationRead: (notificationId: string): Promise<void> => apiRequest('POST', `/notifications/${id(notificationId)}/read`),
  markAllNotificationsRead: (): Promise<void> => apiRequest('POST', '/notifications/read-all'),

  // --- workspaces ---
  listWorkspaces: async (): Promise<WorkspaceSummary[]> => (await apiRequest('GET', '/workspaces', { schema: items(workspaceSummarySchema) })).items,
  createWorkspace: (name: string): Promise<WorkspaceSummary> => apiRequest('POST', '/workspaces', { body: { name }, schema: workspaceSummarySchema }),
  listWorkspaceMembers: async (workspaceId: string): Promise<WorkspaceMember[]> =>
    (await apiRequest('GET', `/workspaces/${id(workspaceId)}/members`, { schema: items(workspaceMemberSchema) })).items,
  /** Invites someone by email: they join once they accept (in the app, or with the link, whose secret is only in this answer). */
  inviteWorkspaceMember: (workspaceId: string, email: string, role: WorkspaceRole): Promise<{ invitation: WorkspaceInvitation; inviteUrl: string }> =>
    apiRequest('POST', `/workspaces/${id(workspaceId)}/members`, { body: { email, role }, schema: createdWorkspaceInvitationResponse }),
  updateWorkspaceMemberRole: (workspaceId: string, userId: string, role: WorkspaceRole): Promise<WorkspaceMember> =>
    apiRequest('PATCH', `/workspaces/${id(workspaceId)}/members/${id(userId)}`, { body: { role }, schema: workspaceMemberSchema }),
  removeWorkspaceMember: (workspaceId: string, userId: string): Promise<void> => apiRequest('DELETE', `/workspaces/${id(workspaceId)}/members/${id(userId)}`),
  listWorkspaceInvitations: async (workspaceId: string): Promise<WorkspaceInvitation[]> =>
    (await apiRequest('GET', `/workspaces/${id(workspaceId)}/invitations`, { schema: items(workspaceInvitationSchema) })).items,
  revokeWorkspaceInvitation: (workspaceId: string, invitationId: string): Promise<void> =>
    apiRequest('DELETE', `/workspaces/${id(workspaceId)}/invitations/${id(invitationId)}`),
  /** The signed-in user's pending invitations to team workspaces. */
  listMyWorkspaceInvitations: async (): Promise<PendingWorkspaceInvitation[]> =>
    (await apiRequest('GET', '/workspace-invitations', { schema: items(pendingWorkspaceInvitationSchema) })).items,
  acceptWorkspaceInvitation: async (invitationId: string): Promise<WorkspaceSummary> =>
    (await apiRequest('POST', `/workspace-invitations/${id(invitationId)}/accept`, { schema: joinedWorkspaceResponse })).workspace,
  declineWorkspaceInvitation: (invitationId: string): Promise<void> => apiRequest('POST', `/workspace-invitations/${id(invitationId)}/decline`),
  acceptWorkspaceInvitationToken: async (token: string): Promise<WorkspaceSummary> =>
    (await apiRequest('POST', '/workspace-invitations/accept-token', { body: { token }, schema: joinedWorkspaceResponse })).workspace,
  /** A list in a given workspace (the lists store creates in the personal one). */
  createListIn: (workspaceId: string, name: string): Promise<TaskList> => apiRequest('POST', '/lists', { body: { name, workspaceId }, schema: listSchema }),

  // --- activity ---
  listActivity: (listId: string, cursor?: string | null, limit = 30): Promise<Page<ActivityEvent>> =>
    apiRequest('GET', withCursor(`/lists/${id(listId)}/activity?limit=${limit}`, cursor), { schema: activityPage }),

  // --- assignments ---
  listAssignedToMe: (cursor?: string | null): Promise<Page<Task>> =>
    apiRequest('GET', withCursor('/tasks?assignee=me&limit=200', cursor), { schema: pageOf(taskSchema) }),
  /**
   * The user's open tasks with a due date on every list they can see (archived lists left out), soonest first;
   * `through` a day (`YYYY-MM-DD`): only those due by then, overdue ones included.
   */
  listDueTasks: (through: string | null, cursor?: string | null): Promise<Page<Task>> =>
    apiRequest('GET', withCursor(`/tasks/due?limit=500${through ? `&through=${through}` : ''}`, cursor), { schema: pageOf(taskSchema) }),
  /** Tasks of every list the user can see holding every word of `query`, newest first. */
  searchTasks: (query: string, cursor?: string | null): Promise<Page<Task>> =>
    apiRequest('GET', withCursor(`/tasks/search?q=${encodeURIComponent(query)}&limit=50`, cursor), { schema: pageOf(taskSchema) }),
  /** Sets (or clears, with null) a task's assignee. */
  assignTask: (taskId: string, assigneeId: string | null): Promise<Task> =>
    apiRequest('PATCH', `/tasks/${id(taskId)}`, { body: { assigneeId }, schema: taskSchema }),
};

export type CollaborationApi = typeof collaborationApi;
