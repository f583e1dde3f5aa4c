/** How "Upcoming" writes days (the grouping itself is core's, shared with the CLI: `core/due-days.ts`). */
import type { DueDaySection } from '../../core/due-days.js';

export { addDays, compareDue, dueDayOf, dueTimeOf, groupByDueDay, upcomingDays, upcomingThrough } from '../../core/due-days.js';
export type { DueDaySection, DueTaskLike } from '../../core/due-days.js';

/** A day written out for a heading: "Friday, Mar 6" (the year too when it is not `today`'s). */
export function formatDay(date: string, today: string, locale?: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const sameYear = date.slice(0, 4) === today.slice(0, 4);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** A section's heading: "Overdue", "Today", "Tomorrow", or its day ("Friday, Mar 6"). */
export function sectionTitle(section: DueDaySection<unknown>, today: string, locale?: string): string {
  switch (section.kind) {
    case 'overdue':
      return 'Overdue';
    case 'today':
      return 'Today';
    case 'tomorrow':
      return 'Tomorrow';
    case 'day':
      return formatDay(section.date!, today, locale);
  }
}
