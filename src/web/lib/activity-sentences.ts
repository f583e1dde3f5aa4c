/**
 * The activity history in words: one human sentence per event ("Ada completed “Milk”"), built only
 * from what the event carries plus the names of the list's members. Pure, so it is tested alone.
 */
import { dueDateSchema, type ActivityEvent } from '../../core/schemas/index.js';
import { formatDueDay } from './repeat-rules.js';

export interface ActivityContext {
  /** The signed-in user: their own actions read "You …". */
  meId: string;
  /** The name of a member of the list (events carry user ids of the people they concern). */
  nameOf(userId: string): string | undefined;
  /** The title of a task of the list, for events that do not carry the task (comments). */
  taskTitleOf?(taskId: string): string | undefined;
  /** Today (`YYYY-MM-DD`): dates of another year are written with it. */
  today?: string;
  locale?: string;
}

const roleWithArticle: Record<string, string> = { owner: 'the owner', editor: 'an editor', commenter: 'a commenter', viewer: 'a viewer' };
const roleName = (role: unknown) => (typeof role === 'string' ? role : 'member');
const withArticle = (role: unknown) => roleWithArticle[roleName(role)] ?? `a ${roleName(role)}`;

const quoted = (title: string) => `“${title}”`;

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** One sentence, without the time (shown beside it). */
export function describeActivity(event: ActivityEvent, context: ActivityContext): string {
  const data = event.data;
  const task = record(data.task);
  const list = record(data.list);
  const isMe = event.actorId !== null && event.actorId === context.meId;
  const actor = isMe ? 'You' : (event.actorName ?? 'Someone');
  const taskTitle = text(task.title) ?? (event.taskId ? context.taskTitleOf?.(event.taskId) : undefined);
  const theTask = taskTitle ? quoted(taskTitle) : 'a task';
  const person = (userId: unknown, fallback?: unknown): string => {
    if (typeof userId === 'string' && userId === context.meId) return 'you';
    return (typeof userId === 'string' ? context.nameOf(userId) : undefined) ?? text(fallback) ?? 'someone';
  };
  const changed = Array.isArray(data.changed) ? data.changed.filter((field): field is string => typeof field === 'string') : [];

  switch (event.type) {
    case 'list.created':
      return `${actor} created the list${text(list.name) ? ` ${quoted(text(list.name)!)}` : ''}`;
    case 'list.updated':
      if (changed.length === 1 && changed[0] === 'name' && text(list.name)) return `${actor} renamed the list to ${quoted(text(list.name)!)}`;
      return `${actor} updated the list`;
    case 'list.archived':
      return `${actor} archived the list`;
    case 'list.unarchived':
      return `${actor} unarchived the list`;
    case 'list.moved':
      return `${actor} moved the list`;
    case 'list.deleted':
      return `${actor} deleted the list${text(data.name) ? ` ${quoted(text(data.name)!)}` : ''}`;

    case 'task.created':
      return `${actor} added ${theTask}`;
    case 'task.edited':
      return `${actor} ${editVerb(changed)} ${theTask}`;
    case 'task.completed': {
      // A repeating task's completion: the occurrence done, and where its due date moved (it stayed open).
      const occurrence = dueDateSchema.safeParse(data.completedOccurrence);
      if (!occurrence.success) return `${actor} completed ${theTask}`;
      const day = (due: Parameters<typeof formatDueDay>[0]) => formatDueDay(due, { today: context.today, locale: context.locale });
      const next = dueDateSchema.safeParse(task.dueDate);
      const moved = next.success && task.done !== true ? `; next ${day(next.data)}` : '';
      return `${actor} completed ${theTask} (due ${day(occurrence.data)})${moved}`;
    }
    case 'task.reopened':
      return `${actor} reopened ${theTask}`;
    case 'task.moved':
      if (data.removed === true) return `${actor} moved ${theTask} to another list`;
      if (text(data.fromListId)) return `${actor} moved ${theTask} here from another list`;
      return `${actor} moved ${theTask}`;
    case 'task.deleted':
      return `${actor} deleted ${theTask}`;
    case 'task.restored':
      return `${actor} restored ${theTask}`;
    case 'task.assigned': {
      const assigneeId = task.assigneeId;
      if (typeof assigneeId === 'string') {
        if (assigneeId === event.actorId) return `${actor} assigned ${isMe ? 'yourself' : 'themselves'} to ${theTask}`;
        return `${actor} assigned ${theTask} to ${person(assigneeId)}`;
      }
      if (typeof data.previousAssigneeId === 'string' && typeof data.reason === 'string') {
        return `${theTask.charAt(0).toUpperCase()}${theTask.slice(1)} was unassigned from ${person(data.previousAssigneeId)}, who no longer has access`;
      }
      return `${actor} unassigned ${theTask}`;
    }

    case 'comment.created': {
      const comment = record(data.comment);
      const title = text(task.title) ?? (typeof comment.taskId === 'string' ? context.taskTitleOf?.(comment.taskId) : undefined) ?? taskTitle;
      return `${actor} commented on ${title ? quoted(title) : 'a task'}`;
    }

    case 'member.invited':
      return `${actor} invited ${text(data.email) ?? person(data.userId)} as ${withArticle(data.role)}`;
    case 'member.declined':
      return `${actor} declined the invitation to join as ${withArticle(data.role)}`;
    case 'member.invitation_revoked':
      return `${actor} withdrew the invitation to ${text(data.email) ?? person(data.userId)}`;
    case 'member.joined': {
      const joiner = data.userId;
      if (joiner === event.actorId) return `${actor} joined as ${withArticle(data.role)}`;
      if (event.actorId === null) return `${capitalize(person(joiner))} joined as ${withArticle(data.role)}`;
      return `${actor} added ${person(joiner)} as ${withArticle(data.role)}`;
    }
    case 'member.role_changed': {
      const target = data.userId;
      if (target === event.actorId) return isMe ? `You are now ${withArticle(data.role)}` : `${actor} is now ${withArticle(data.role)}`;
      if (data.role === 'owner') return `${actor} made ${person(target)} the owner`;
      return `${actor} made ${person(target)} ${withArticle(data.role)}`;
    }
    case 'member.removed': {
      const target = data.userId;
      if (target === event.actorId) return `${actor} left the list`;
      if (data.reason === 'left') return `${capitalize(person(target))} left the list`;
      if (data.reason === 'workspace' || event.actorId === null) return `${capitalize(person(target))} no longer has access`;
      return `${actor} removed ${person(target)}`;
    }
  }
  return `${actor} changed the list`;
}

function editVerb(changed: readonly string[]): string {
  const fields = new Set(changed.map((field) => (field === 'due_time_zone' ? 'due_date' : field)));
  if (fields.size !== 1) return 'edited';
  const [field] = fields;
  switch (field) {
    case 'title':
      return 'renamed a task to';
    case 'notes':
      return 'edited the notes of';
    case 'due_date':
      return 'changed the due date of';
    case 'priority':
      return 'changed the priority of';
    default:
      return 'edited';
  }
}

const capitalize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
