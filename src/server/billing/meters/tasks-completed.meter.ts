/** `tasks_completed`: completions during the period (`task.completed` activity; reopening does not undo one), plus ingested events. */
import { activityCountMeter } from './activity-count.js';

export const tasksCompletedMeter = activityCountMeter('tasks_completed', 'Tasks completed', 'task.completed');
