/** Team workspaces and their members. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { workspaceRoles } from '../permissions.js';
import { emailSchema } from './auth.js';
import { idSchema } from './common.js';

export const createWorkspaceBody = z.strictObject({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(limits.workspaceNameMax),
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
