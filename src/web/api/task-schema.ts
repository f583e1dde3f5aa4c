/** The task schema the web app reads with: core's, except that a task from before repeating tasks (an old change replayed) repeats not. */
import { recurrenceSchema } from '../../core/recurrence.js';
import { taskSchema } from '../../core/schemas/index.js';

export const clientTaskSchema = taskSchema.extend({ recurrence: recurrenceSchema.nullable().default(null) });
