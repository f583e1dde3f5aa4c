/** `tasks_created`: tasks created during the period (`task.created` activity), plus ingested events. */
import { activityCountMeter } from './activity-count.js';

export const tasksCreatedMeter = activityCountMeter('tasks_created', 'Tasks created', 'task.created');
