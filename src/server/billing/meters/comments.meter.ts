/** `comments`: comments posted during the period (`comment.created` activity), plus ingested events. */
import { activityCountMeter } from './activity-count.js';

export const commentsMeter = activityCountMeter('comments', 'Comments', 'comment.created');
