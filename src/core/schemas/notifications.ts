/** In-app notifications: someone invited you (to a list, or to a team workspace), assigned you a task, or mentioned you. */
import { z } from 'zod';
import { idSchema } from './common.js';
import { limits } from '../limits.js';

export const notificationTypes = ['invited', 'workspace_invited', 'assigned', 'mentioned'] as const;
export type NotificationType = (typeof notificationTypes)[number];

export const notificationSchema = z.object({
  id: idSchema,
  type: z.enum(notificationTypes),
  actorId: idSchema.nullable(),
  workspaceId: idSchema,
  listId: idSchema.nullable(),
  taskId: idSchema.nullable(),
  commentId: idSchema.nullable(),
  invitationId: idSchema.nullable(),
  /** What to show without another request: names, titles, an excerpt. */
  data: z.record(z.string(), z.unknown()),
  read: z.boolean(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(50),
  cursor: z.string().max(500).optional(),
  unread: z.enum(['true', 'false']).optional(),
});

export const notificationPage = z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable(), unreadCount: z.number().int() });
