/**
 * The closed list of activity types. Every change is one append-only activity event, written in the
 * transaction of the change: it is the list's change log for real-time replay, the history people read,
 * and the source of engagement metering.
 */
export const activityTypes = [
  'list.created',
  'list.updated',
  'list.archived',
  'list.unarchived',
  'list.moved',
  'list.deleted',
  'task.created',
  'task.edited',
  'task.completed',
  'task.reopened',
  'task.moved',
  'task.deleted',
  'task.restored',
  'task.assigned',
  'comment.created',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
] as const;
export type ActivityType = (typeof activityTypes)[number];
