/** Comments on tasks: Markdown source (rendered by the web app without raw HTML), with @email mentions. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { hasVisibleText, idSchema } from './common.js';

export const commentBody = z
  .string()
  .max(limits.commentBodyMax, { message: `must be at most ${limits.commentBodyMax} characters` })
  .refine(hasVisibleText, { message: 'must not be empty' });

export const createCommentBody = z.strictObject({ body: commentBody });
export type CreateCommentBody = z.infer<typeof createCommentBody>;

export const commentSchema = z.object({
  id: idSchema,
  taskId: idSchema,
  listId: idSchema,
  authorId: idSchema,
  authorName: z.string(),
  /** The Markdown source as written; render it as Markdown without raw HTML. */
  body: z.string(),
  /** Ids of the list members mentioned (`@email`). */
  mentions: z.array(idSchema),
  createdAt: z.string(),
});
export type Comment = z.infer<typeof commentSchema>;
