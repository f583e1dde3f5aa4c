/** Team workspaces and their members. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { workspaceRoles } from '../permissions.js';
import { emailSchema } from './auth.js';
import { idSchema, visibleText } from './common.js';

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

/** Adds someone who already has a Listo account (others are invited to a list, then join as guests). */
export const addWorkspaceMemberBody = z.strictObject({ email: emailSchema, role: z.enum(workspaceRoles) });
export const updateWorkspaceMemberBody = z.strictObject({ role: z.enum(workspaceRoles) });
