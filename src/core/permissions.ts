/**
 * The one permission table: which list role may do which action.
 * The server enforces it on every route; the web app hides what a role cannot do.
 */
export const listRoles = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type ListRole = (typeof listRoles)[number];

/** Higher grants more. A role can never grant more than the granter holds. */
export const listRoleRank: Record<ListRole, number> = { viewer: 1, commenter: 2, editor: 3, owner: 4 };

export const listActions = {
  'list.read': ['owner', 'editor', 'commenter', 'viewer'],
  'list.update': ['owner', 'editor'],
  'list.delete': ['owner'],
  'task.create': ['owner', 'editor'],
  'task.update': ['owner', 'editor'],
  'task.delete': ['owner', 'editor'],
  /** Commenters may complete only tasks assigned to them (see `canCompleteTask`). */
  'task.complete': ['owner', 'editor'],
  'comment.create': ['owner', 'editor', 'commenter'],
  'comment.read': ['owner', 'editor', 'commenter', 'viewer'],
  'activity.read': ['owner', 'editor', 'commenter', 'viewer'],
  'member.read': ['owner', 'editor', 'commenter', 'viewer'],
  'member.invite': ['owner', 'editor'],
  'member.manage': ['owner'],
  'share_link.manage': ['owner'],
} as const satisfies Record<string, readonly ListRole[]>;

export type ListAction = keyof typeof listActions;

/** Each action in words, for refusals people read ("Your role (viewer) cannot add tasks"). */
export const listActionWords: Record<ListAction, string> = {
  'list.read': 'see this list',
  'list.update': 'change this list',
  'list.delete': 'delete this list',
  'task.create': 'add tasks',
  'task.update': 'edit tasks',
  'task.delete': 'delete tasks',
  'task.complete': 'complete tasks',
  'comment.create': 'comment',
  'comment.read': 'read comments',
  'activity.read': 'read the history',
  'member.read': 'see the members',
  'member.invite': 'invite people',
  'member.manage': 'manage members',
  'share_link.manage': 'manage the share link',
};

export function can(role: ListRole | null | undefined, action: ListAction): boolean {
  if (!role) return false;
  return (listActions[action] as readonly ListRole[]).includes(role);
}

/** Completing or reopening: editors always; commenters only on tasks assigned to them. */
export function canCompleteTask(role: ListRole | null | undefined, isAssignee: boolean): boolean {
  return can(role, 'task.complete') || (role === 'commenter' && isAssignee);
}

/** May someone holding `granter` give `granted` to another member? */
export function canGrant(granter: ListRole | null | undefined, granted: ListRole): boolean {
  if (!granter || !can(granter, 'member.invite')) return false;
  return listRoleRank[granted] <= listRoleRank[granter];
}

export const workspaceRoles = ['admin', 'member', 'guest'] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

/** What a team workspace lets each of its roles do, beside the per-list table above. */
export const workspaceActions = {
  'workspace.read': ['admin', 'member', 'guest'],
  'workspace.members.read': ['admin', 'member'],
  'workspace.members.manage': ['admin'],
  'workspace.activity.read': ['admin'],
  'list.create': ['admin', 'member'],
} as const satisfies Record<string, readonly WorkspaceRole[]>;

export type WorkspaceAction = keyof typeof workspaceActions;

export const workspaceActionWords: Record<WorkspaceAction, string> = {
  'workspace.read': 'see this workspace',
  'workspace.members.read': 'see its members',
  'workspace.members.manage': 'manage its members',
  'workspace.activity.read': 'read its history',
  'list.create': 'create lists in it',
};

export function canInWorkspace(role: WorkspaceRole | null | undefined, action: WorkspaceAction): boolean {
  if (!role) return false;
  return (workspaceActions[action] as readonly WorkspaceRole[]).includes(role);
}

/** Whether workspace role `a` is above `b` (admin, then member, then guest). */
export const outranksInWorkspace = (a: WorkspaceRole, b: WorkspaceRole): boolean => workspaceRoles.indexOf(a) < workspaceRoles.indexOf(b);

/**
 * The role a team-workspace role gives on every list of that workspace, without being a member of
 * the list. Guests get nothing: they see only lists shared with them. Personal workspaces give
 * nothing either (access there is by list membership only), and nobody is owner by workspace role.
 */
export const workspaceListRole: Record<WorkspaceRole, ListRole | null> = { admin: 'editor', member: 'editor', guest: null };

/** The higher of two roles (null is no role). */
export function higherListRole(a: ListRole | null | undefined, b: ListRole | null | undefined): ListRole | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return listRoleRank[a] >= listRoleRank[b] ? a : b;
}

/**
 * Effective role on a list: the higher of the list membership and what the team workspace gives.
 * Grants only add up, so a removed list member of a team workspace keeps its workspace access.
 */
export function effectiveListRole(memberRole: ListRole | null | undefined, teamWorkspaceRole: WorkspaceRole | null | undefined): ListRole | null {
  return higherListRole(memberRole, teamWorkspaceRole ? workspaceListRole[teamWorkspaceRole] : null);
}
