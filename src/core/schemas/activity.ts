/** The activity history as the API shows it: newest first, paginated. */
import { z } from 'zod';
import { activityTypes } from '../activity.js';
import { idSchema } from './common.js';

export const activityEventSchema = z.object({
  id: idSchema,
  type: z.enum(activityTypes),
  actorId: idSchema.nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
  workspaceId: idSchema,
  listId: idSchema.nullable(),
  taskId: idSchema.nullable(),
  /** The list version the event produced (null for events outside a list's change log). */
  version: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type ActivityEvent = z.infer<typeof activityEventSchema>;

export const activityQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const activityPage = z.object({ items: z.array(activityEventSchema), nextCursor: z.string().nullable() });
