/** Team workspaces and their members. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { workspaceRoles } from '../permissions.js';
import { emailSchema, workspaceSummarySchema } from './auth.js';
import { idSchema, visibleText } from './common.js';
import { invitationStatuses } from './members.js';

export const createWorkspaceBody = z.strictObject({
  name: visibleText(limits.workspaceNameMax),
});

export const workspaceMemberSchema = z.object({
  userId: idSchema,
  email: z.string(),
  name: z.string(),
  role: z.enum(workspaceRoles),
});
export type WorkspaceMember = z.infer<typeof workspaceMemberSchema>;

/** Invites someone by email to the workspace with a role (see `workspaceInvitationSchema`). */
export const addWorkspaceMemberBody = z.strictObject({ email: emailSchema, role: z.enum(workspaceRoles) });
export const updateWorkspaceMemberBody = z.strictObject({ role: z.enum(workspaceRoles) });

/**
 * Adding someone to a team workspace is an invitation they accept: nobody is put in a workspace (and shown to
 * its members) without saying yes. `POST /workspaces/:id/members` answers 202 with the invitation and its link,
 * the same whether or not the address has an account, so the answer tells nothing about who uses Listo.
 */
export const workspaceInvitationSchema = z.object({
  id: idSchema,
  workspaceId: idSchema,
  email: z.string(),
  role: z.enum(workspaceRoles),
  status: z.enum(invitationStatuses),
  invitedBy: idSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type WorkspaceInvitation = z.infer<typeof workspaceInvitationSchema>;

/** The secret is in the link's fragment (`/workspace-invite#<token>`), shown only in this answer. */
export const createdWorkspaceInvitationResponse = z.object({ invitation: workspaceInvitationSchema, inviteUrl: z.string() });

/** A pending workspace invitation as its invitee sees it. */
export const pendingWorkspaceInvitationSchema = z.object({
  id: idSchema,
  workspaceId: idSchema,
  workspaceName: z.string(),
  role: z.enum(workspaceRoles),
  invitedBy: idSchema,
  invitedByName: z.string(),
  email: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type PendingWorkspaceInvitation = z.infer<typeof pendingWorkspaceInvitationSchema>;

export const joinedWorkspaceResponse = z.object({ workspace: workspaceSummarySchema });
