import { z } from 'zod';
import { blockSchema, blocksInputSchema } from '../content-types/index.js';
import { limits } from '../limits.js';
import { recurrenceSchema } from '../recurrence.js';
import { searchLimits, searchTerms, tooManySearchWords } from '../search.js';
import { idSchema, timeZoneSchema, visibleText } from './common.js';

/**
 * A due date is either a calendar date (`"2026-12-01"`) or a local date-time in an IANA zone
 * (`{"dateTime": "2026-12-01T09:30", "timeZone": "Europe/Paris"}`), so "9:30 in Paris" stays
 * 9:30 in Paris across daylight-saving changes.
 */
export const dueDateSchema = z.union([
  z.iso.date({ message: 'must be a date YYYY-MM-DD or {dateTime, timeZone}' }),
  z.strictObject({
    // Minutes, no seconds and no offset: a time with `Z` or `+02:00` is an instant, not a time of day in `timeZone`.
    dateTime: z.iso.datetime({ local: true, precision: -1, message: 'must be a local date-time YYYY-MM-DDTHH:mm' }).refine((value) => !/[zZ]$/.test(value), {
      message: 'must be a local date-time YYYY-MM-DDTHH:mm, without an offset (the zone is timeZone)',
    }),
    timeZone: timeZoneSchema,
  }),
]);
export type DueDate = z.infer<typeof dueDateSchema>;

/** 1 is the most urgent, 4 (the default) the least, as in most to-do apps. */
export const prioritySchema = z.number().int().min(1).max(4);
export const taskTitle = visibleText(limits.taskTitleMax);
export const taskNotes = z.string().max(limits.taskNotesMax);

export const createTaskBody = z.strictObject({
  title: taskTitle,
  notes: taskNotes.optional(),
  dueDate: dueDateSchema.nullable().optional(),
  priority: prioritySchema.optional(),
  /** Repeats: completing it moves its due date on (`core/recurrence.ts`); needs a due date. */
  recurrence: recurrenceSchema.nullable().optional(),
  /** Insert after this task (default: at the end of the list). */
  afterId: idSchema.nullable().optional(),
  /** Ordered content blocks (see `core/content-types`); upload-backed ones as `{type, uploadId}`. */
  blocks: blocksInputSchema.optional(),
});
export type CreateTaskBody = z.infer<typeof createTaskBody>;

export const updateTaskBody = z
  .strictObject({
    title: taskTitle.optional(),
    notes: taskNotes.optional(),
    done: z.boolean().optional(),
    dueDate: dueDateSchema.nullable().optional(),
    priority: prioritySchema.optional(),
    /** Repeats (needs a due date); null stops it. Clearing the due date stops it too. */
    recurrence: recurrenceSchema.nullable().optional(),
    /**
     * With `done: true` on a repeating task: the due date the client is completing. If the task has moved on since (a
     * collaborator completed that occurrence), it is not completed again: the answer is the task as it is.
     */
    occurrence: dueDateSchema.optional(),
    /**
     * With `done: true` on a repeating task: the completing person's date (`YYYY-MM-DD`, their calendar). Occurrences
     * before it are skipped, so an overdue repeating task moves to its next occurrence from today on, not to another
     * day already past. Without it the task moves to the occurrence after the one completed.
     */
    today: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
    assigneeId: idSchema.nullable().optional(),
    /** Replaces all blocks. */
    blocks: blocksInputSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' });
export type UpdateTaskBody = z.infer<typeof updateTaskBody>;

export const moveTaskBody = z
  .strictObject({
    listId: idSchema.optional().describe('Move to this list (of the same workspace); default: the task stays in its list'),
    afterId: idSchema
      .nullable()
      .optional()
      .describe('Place right after this task of the target list; `null`: at the top. Not with `beforeId`. Neither: at the end'),
    beforeId: idSchema
      .nullable()
      .optional()
      .describe('Place right before this task of the target list; `null`: at the end, as when neither is given. Not with `afterId`'),
  })
  // One place: with both, afterId used to win silently.
  .refine((body) => body.afterId === undefined || body.beforeId === undefined, {
    message: 'cannot be given with afterId: place after one task or before one',
    path: ['beforeId'],
  });
export type MoveTaskBody = z.infer<typeof moveTaskBody>;

export const taskSchema = z.object({
  id: idSchema,
  listId: idSchema,
  workspaceId: idSchema,
  title: z.string(),
  notes: z.string(),
  done: z.boolean(),
  completedAt: z.string().nullable(),
  completedBy: idSchema.nullable(),
  dueDate: dueDateSchema.nullable(),
  /** How it repeats, or null: completing a repeating task moves its due date to the next occurrence instead. */
  recurrence: recurrenceSchema.nullable(),
  priority: prioritySchema,
  position: z.string(),
  assigneeId: idSchema.nullable(),
  createdBy: idSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  blocks: z.array(blockSchema),
});
export type Task = z.infer<typeof taskSchema>;

/**
 * `limit` of a page of tasks. A page may hold fewer: it also ends before its tasks pass `limits.taskPageBytes`, so
 * a client follows `nextCursor` until it is null, whatever it asked.
 */
const taskPageLimit = (max: number, byDefault: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(byDefault)
    .describe(
      `At most this many tasks (default ${byDefault}). A page may hold fewer: it also ends before its tasks pass ` +
        `${limits.taskPageBytes / 1024 / 1024} MiB (at least one task), so follow \`nextCursor\` until it is null`,
    );

export const taskListQuery = z.strictObject({
  limit: taskPageLimit(limits.pageSizeMax, 1000),
  cursor: z.string().max(500).optional(),
  done: z.enum(['true', 'false']).optional(),
});

/** `GET /api/v1/tasks?assignee=me`: the caller's assigned tasks across every list they can see. */
export const assignedTaskQuery = z.strictObject({
  assignee: z.literal('me', { message: 'must be "me"' }),
  done: z.enum(['true', 'false']).optional(),
  limit: taskPageLimit(limits.pageSizeMax, limits.pageSizeDefault),
  cursor: z.string().max(500).optional(),
});

/**
 * `GET /api/v1/tasks/due`: the caller's open tasks with a due date, on every list they can see (archived lists left
 * out), soonest first: by due date (a day's all-day tasks before its timed ones, then by time), then priority. A due
 * date counts by its calendar day as written (`2026-12-01`, or the date of `2026-12-01T09:30` in its own zone), as the
 * app shows it. `through`: only tasks due on or before that day, overdue ones included (today's date for "Today").
 */
export const dueTaskQuery = z.strictObject({
  through: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
  workspaceId: idSchema.optional(),
  assignee: z.literal('me', { message: 'must be "me"' }).optional(),
  limit: taskPageLimit(limits.pageSizeMax, limits.pageSizeDefault),
  cursor: z.string().max(500).optional(),
});
export type DueTaskQuery = z.infer<typeof dueTaskQuery>;

/** `GET /api/v1/tasks/search`: live tasks of every list the caller can see whose text holds every word of `q`. */
export const taskSearchQuery = z.strictObject({
  q: z
    .string()
    .max(searchLimits.queryMax)
    .refine((q) => searchTerms(q).length > 0, { message: 'must contain a word to search for' })
    .refine((q) => searchTerms(q).length <= searchLimits.termsMax, { message: tooManySearchWords }),
  workspaceId: idSchema.optional(),
  done: z.enum(['true', 'false']).optional(),
  limit: taskPageLimit(200, 50),
  cursor: z.string().max(500).optional(),
});
export type TaskSearchQuery = z.infer<typeof taskSearchQuery>;
