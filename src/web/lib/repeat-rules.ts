/**
 * Repeating tasks as the web app shows and edits them: the Repeat menu's choices and the rule each one stands for,
 * what completing a task shows at once (a repeating one stays open on its next date), and short day labels
 * ("Thu, Nov 26"). The calendar arithmetic is core's (`core/recurrence.ts`); nothing here re-computes it.
 */
import { dueDayOf, localDay } from '../../core/due-days.js';
import { describeRecurrence, nextDueDateFrom, weekdays, type Recurrence, type Weekday } from '../../core/recurrence.js';
import type { DueDate, Task } from '../../core/schemas/index.js';

/** A task's rule; tasks and events from before repeating tasks carry none. */
export const recurrenceOf = (task: { recurrence?: Recurrence | null }): Recurrence | null => task.recurrence ?? null;

/** The choices of the Repeat menu, in order. */
export const repeatPresets = ['none', 'day', 'weekday', 'week', 'month', 'year', 'custom'] as const;
export type RepeatPreset = (typeof repeatPresets)[number];

const workWeek: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The weekday of a `YYYY-MM-DD` day (`mon` … `sun`). */
export function weekdayOf(day: string): Weekday {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return weekdays[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}

/** The rule a preset stands for (null for None; Custom has none of its own: its form makes one). */
export function ruleOfPreset(preset: Exclude<RepeatPreset, 'custom'>): Recurrence | null {
  switch (preset) {
    case 'none':
      return null;
    case 'weekday':
      return { every: 'week', weekdays: [...workWeek] };
    default:
      return { every: preset };
  }
}

/** Which menu choice shows a rule: a preset when it is exactly one (the due date's weekday counts as "Every week"), else Custom. */
export function presetOf(rule: Recurrence | null, due: DueDate | null): RepeatPreset {
  if (rule === null) return 'none';
  if ((rule.interval ?? 1) !== 1 || rule.until !== undefined) return 'custom';
  if (rule.every !== 'week') return rule.weekdays === undefined ? rule.every : 'custom';
  if (rule.weekdays === undefined) return 'week';
  const days = new Set(rule.weekdays);
  if (days.size === workWeek.length && workWeek.every((day) => days.has(day))) return 'weekday';
  if (due && days.size === 1 && days.has(weekdayOf(dueDayOf(due)))) return 'week';
  return 'custom';
}

/** A rule's weekdays in calendar order (Mon first), whatever order they were picked in. */
export const sortedWeekdays = (days: readonly Weekday[]): Weekday[] => weekdays.filter((day) => days.includes(day));

/**
 * The due date completing `task` on `today` (the browser's date) moves it to, or null when completing closes it: it
 * does not repeat, has no due date, is done already, or no occurrence is left by its `until`. An overdue task skips
 * the occurrences already past, as the server does when told `today` (`nextDueDateFrom`).
 */
export function nextDueOnCompletion(
  task: Pick<Task, 'done' | 'dueDate'> & { recurrence?: Recurrence | null },
  today: string = localDay(new Date()),
): DueDate | null {
  const rule = recurrenceOf(task);
  if (task.done || rule === null || task.dueDate === null) return null;
  return nextDueDateFrom(task.dueDate, rule, today);
}

/**
 * The task as completing it shows at once, before the server answers: a repeating task stays open on its next due
 * date (as the server will answer), any other is done.
 */
export function completedLocally<T extends Pick<Task, 'done' | 'dueDate' | 'completedAt'> & { recurrence?: Recurrence | null }>(task: T, now: Date): T {
  if (task.done) return task;
  const next = nextDueOnCompletion(task, localDay(now));
  if (next) return { ...task, dueDate: next };
  return { ...task, done: true, completedAt: now.toISOString() };
}

/** Two due dates are the same (day, time and zone). */
export function sameDueDate(a: DueDate | null, b: DueDate | null): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.dateTime === b.dateTime && a.timeZone === b.timeZone;
}

/**
 * A due date in a few words: "Thu, Nov 26" (the year when it is not `today`'s, with `today` given), with its time when
 * it has one ("Thu, Nov 26, 19:00").
 */
export function formatDueDay(due: DueDate, options: { today?: string; locale?: string } = {}): string {
  const day = dueDayOf(due);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const withYear = options.today !== undefined && options.today.slice(0, 4) !== day.slice(0, 4);
  const label = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(options.locale, {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  });
  return typeof due === 'string' ? label : `${label}, ${due.dateTime.slice(11, 16)}`;
}

/**
 * A rule in words, its end date written as the app's other dates ("every day until Sun, Jan 24, 2027"; the year when
 * it is not `today`'s) rather than core's ISO day, which the CLI keeps.
 */
export function describeRule(rule: Recurrence, options: { today?: string; locale?: string } = {}): string {
  const { until, ...rest } = rule;
  const words = describeRecurrence(rest);
  return until ? `${words} until ${formatDueDay(until, options)}` : words;
}

/**
 * What the Repeat control says under a rule: "Repeats every year. Completing it moves it to Thu, Nov 26, 2027." (`next`:
 * where completing moves it, null when no occurrence is left).
 */
export function repeatHint(rule: Recurrence, next: DueDate | null, today: string, locale?: string): string {
  const words = `Repeats ${describeRule(rule, { today, locale })}.`;
  return next ? `${words} Completing it moves it to ${formatDueDay(next, { today, locale })}.` : `${words} No date is left: completing it closes it.`;
}

/** The Custom… form of the Repeat menu, as typed. */
export interface CustomRepeatDraft {
  /** As typed: a whole number from 1 to 999. */
  interval: string;
  every: Recurrence['every'];
  /** With `every: 'week'`: the days it falls on (none: the due date's own). */
  weekdays: Weekday[];
  /** `YYYY-MM-DD`, or '' for never. */
  until: string;
}

/** The Custom… form opened on a rule (or, without one, on "every week" on the due date's weekday). */
export function draftOf(rule: Recurrence | null, due: DueDate | null): CustomRepeatDraft {
  if (rule === null) return { interval: '1', every: 'week', weekdays: due ? [weekdayOf(dueDayOf(due))] : [], until: '' };
  return { interval: String(rule.interval ?? 1), every: rule.every, weekdays: [...(rule.weekdays ?? [])], until: rule.until ?? '' };
}

/** The rule the Custom… form says, or why it cannot be saved (in words for the form). */
export function ruleOfDraft(draft: CustomRepeatDraft, due: DueDate | null): { rule: Recurrence } | { error: string } {
  const interval = /^\d{1,3}$/.test(draft.interval.trim()) ? Number(draft.interval.trim()) : NaN;
  if (!(interval >= 1 && interval <= 999)) return { error: 'Repeat every 1 to 999 days, weeks, months or years.' };
  if (draft.until !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(draft.until)) return { error: 'The end date must be a date.' };
  if (draft.until !== '' && due && draft.until < dueDayOf(due)) return { error: 'The end date is before the due date.' };
  const rule: Recurrence = { every: draft.every };
  if (interval !== 1) rule.interval = interval;
  if (draft.every === 'week' && draft.weekdays.length > 0) rule.weekdays = sortedWeekdays(draft.weekdays);
  if (draft.until !== '') rule.until = draft.until;
  return { rule };
}

/**
 * What completing a repeating task says: "“Stand-up” repeats. Next: Thu, Nov 26"; null when completing closes it.
 * `today` (`YYYY-MM-DD`) adds the year to a date in another year.
 */
export function nextOccurrenceMessage(
  task: Pick<Task, 'title' | 'done' | 'dueDate'> & { recurrence?: Recurrence | null },
  today: string,
  locale?: string,
): string | null {
  const next = nextDueOnCompletion(task);
  return next ? `“${task.title}” repeats. Next: ${formatDueDay(next, { today, locale })}` : null;
}

/**
 * What the server's answer to completing a repeating task changes in what the toast said: null when the task moved on
 * to `expected`, as said; else where it really is ("“Bins” repeats. Next: Fri, Nov 27": someone completed that
 * occurrence meanwhile, or moved the task), or that it is done.
 */
export function answeredOccurrenceMessage(expected: DueDate, answer: Pick<Task, 'title' | 'done' | 'dueDate'>, today: string, locale?: string): string | null {
  if (answer.done) return `“${answer.title}” is done.`;
  if (answer.dueDate === null || sameDueDate(answer.dueDate, expected)) return null;
  return `“${answer.title}” repeats. Next: ${formatDueDay(answer.dueDate, { today, locale })}`;
}
