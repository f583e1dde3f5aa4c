/** Due dates as the task row shows and edits them: a date input's value, and a short friendly label. */
import type { DueDate } from '../../core/schemas/index.js';
import { localDay } from '../../core/due-days.js';

/** `YYYY-MM-DD` of a due date, the value of an `<input type="date">` ('' when none). */
export function dueDateInputValue(due: DueDate | null): string {
  if (!due) return '';
  return typeof due === 'string' ? due : due.dateTime.slice(0, 10);
}

/** The due date after picking `date` ('' clears it); a due time, if any, is kept. */
export function withDate(due: DueDate | null, date: string): DueDate | null {
  if (!date) return null;
  // `THH:mm` only: a time stored with seconds (before they were refused) must not make the edit a 400.
  if (due && typeof due === 'object') return { dateTime: `${date}${due.dateTime.slice(10, 16)}`, timeZone: due.timeZone };
  return date;
}

/** `YYYY-MM-DD` of a moment in the browser's time zone. */
export const localDateString = localDay;

export interface DueDateLabel {
  /** Short: "Today", "Tomorrow", "Fri", "Mar 5", "Mar 5, 2027"; with the time when there is one. */
  short: string;
  /** Spelled out for assistive tech and tooltips. */
  long: string;
  overdue: boolean;
  today: boolean;
}

export function describeDueDate(due: DueDate, now: Date, locale?: string): DueDateLabel {
  const date = dueDateInputValue(due);
  const time = typeof due === 'object' ? due.dateTime.slice(11, 16) : null;
  const today = localDateString(now);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(y, m - 1, d);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const days = Math.round((day.getTime() - startOfToday.getTime()) / 86_400_000);
  let short: string;
  if (days === 0) short = 'Today';
  else if (days === 1) short = 'Tomorrow';
  else if (days === -1) short = 'Yesterday';
  else if (days > 1 && days < 7) short = day.toLocaleDateString(locale, { weekday: 'short' });
  else short = day.toLocaleDateString(locale, { month: 'short', day: 'numeric', ...(y === now.getFullYear() ? {} : { year: 'numeric' }) });
  const long = day.toLocaleDateString(locale, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const zone = typeof due === 'object' ? ` (${due.timeZone})` : '';
  return {
    short: time ? `${short} ${time}` : short,
    long: time ? `${long} at ${time}${zone}` : long,
    overdue: date < today,
    today: date === today,
  };
}
