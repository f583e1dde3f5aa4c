import { z } from 'zod';
import { limits } from '../limits.js';
import { listRoles } from '../permissions.js';
import { idSchema, visibleText } from './common.js';

export const listName = visibleText(limits.listNameMax);

export const createListBody = z.strictObject({
  name: listName,
  workspaceId: idSchema.optional(),
});
export type CreateListBody = z.infer<typeof createListBody>;

export const updateListBody = z
  .strictObject({
    name: listName.optional(),
    archived: z.boolean().optional(),
    /** Reorder among the workspace's lists: place after / before the given list. */
    afterId: idSchema.nullable().optional().describe('Place right after this list of the same workspace; `null`: at the top. Not with `beforeId`'),
    beforeId: idSchema.nullable().optional().describe('Place right before this list of the same workspace; `null`: at the end. Not with `afterId`'),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  // One place: with both, afterId used to win silently.
  .refine((body) => body.afterId === undefined || body.beforeId === undefined, {
    message: 'cannot be given with afterId: place after one list or before one',
    path: ['beforeId'],
  });
export type UpdateListBody = z.infer<typeof updateListBody>;

export const listQuery = z.strictObject({
  workspaceId: idSchema.optional(),
  archived: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
  cursor: z.string().max(500).optional(),
});

export const listSchema = z.object({
  id: idSchema,
  workspaceId: idSchema,
  name: z.string(),
  position: z.string(),
  version: z.number().int(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  role: z.enum(listRoles),
  createdBy: idSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TaskList = z.infer<typeof listSchema>;
