/**
 * Tasks by the day they are due, as "Upcoming" (web) and `listo today` / `listo upcoming` (CLI) show them: overdue,
 * today, tomorrow, then day by day. Calendar days only (`YYYY-MM-DD`): "today" is the caller's, from its own clock
 * and zone (`localDay`).
 */
import type { DueDate } from './schemas/tasks.js';

/** `YYYY-MM-DD` of a moment in the zone this code runs in (the browser's, the terminal's). */
export function localDay(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

/** The calendar day of a due date as written (`2026-12-01`, or the date of `2026-12-01T09:30` in its own zone). */
export const dueDayOf = (due: DueDate): string => (typeof due === 'string' ? due : due.dateTime.slice(0, 10));

/** `HH:mm` of a timed due date as written, or null for an all-day one. */
export const dueTimeOf = (due: DueDate): string | null => (typeof due === 'string' ? null : due.dateTime.slice(11, 16));

/** The day `days` after `date` (`YYYY-MM-DD`): calendar arithmetic, untouched by time zones and daylight saving. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** How many days the Upcoming view shows, today included. */
export const upcomingDays = 7;

/** The last day the Upcoming view shows: `through` of `GET /api/v1/tasks/due`. */
export const upcomingThrough = (today: string): string => addDays(today, upcomingDays - 1);

export interface DueTaskLike {
  id: string;
  dueDate: DueDate | null;
  priority: number;
}

export interface DueDaySection<T> {
  /** `overdue`, or the day (`YYYY-MM-DD`): stable across refreshes, for React keys and focus. */
  key: string;
  kind: 'overdue' | 'today' | 'tomorrow' | 'day';
  /** The section's day; null for the overdue one, which holds several. */
  date: string | null;
  tasks: T[];
}

/**
 * The server's order, kept even if pages or refreshes are merged: by day, a day's all-day tasks before its timed
 * ones, then by time, then priority (1 first), then id.
 */
export function compareDue(a: DueTaskLike, b: DueTaskLike): number {
  const dayA = a.dueDate ? dueDayOf(a.dueDate) : '';
  const dayB = b.dueDate ? dueDayOf(b.dueDate) : '';
  if (dayA !== dayB) return dayA < dayB ? -1 : 1;
  const timeA = a.dueDate ? (dueTimeOf(a.dueDate) ?? '') : '';
  const timeB = b.dueDate ? (dueTimeOf(b.dueDate) ?? '') : '';
  if (timeA !== timeB) return timeA < timeB ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Sections of `tasks` by due day relative to `today` (`YYYY-MM-DD` in the user's own calendar): "Overdue" (every
 * day before today, soonest-due first) when any is, then one section per day that has a task, in order. Days without
 * tasks get no section; tasks without a due date are left out.
 */
export function groupByDueDay<T extends DueTaskLike>(tasks: readonly T[], today: string): DueDaySection<T>[] {
  const tomorrow = addDays(today, 1);
  const sections: DueDaySection<T>[] = [];
  for (const task of [...tasks].sort(compareDue)) {
    if (!task.dueDate) continue;
    const day = dueDayOf(task.dueDate);
    const key = day < today ? 'overdue' : day;
    let section = sections.at(-1);
    if (section?.key !== key) {
      const kind = key === 'overdue' ? 'overdue' : day === today ? 'today' : day === tomorrow ? 'tomorrow' : 'day';
      section = { key, kind, date: key === 'overdue' ? null : day, tasks: [] };
      sections.push(section);
    }
    section.tasks.push(task);
  }
  return sections;
}
