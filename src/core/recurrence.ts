/**
 * Repeating tasks: a rule saying how a task's due date moves on when it is completed ("every day", "every 2 weeks
 * on Monday and Thursday", "every month until 2027-06-30"). Completing a repeating task does not close it: its due
 * date moves to the next occurrence after the one completed (from the due date, not from the day it was done, so
 * "every Monday" stays on Mondays), keeping its time of day and zone. Past `until`, completing closes it.
 *
 * Calendar arithmetic on `YYYY-MM-DD` only, in UTC (a calendar date has no zone): a month later than January 31 is
 * the last day of February, and a year after February 29 is February 28.
 */
import { z } from 'zod';
import type { DueDate } from './schemas/tasks.js';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export const recurrenceSchema = z
  .strictObject({
    every: z.enum(['day', 'week', 'month', 'year']),
    /** Every `interval` days, weeks, months or years (1 by default). */
    interval: z.number().int().min(1).max(999).optional(),
    /** With `every: 'week'`: the days of the week it falls on (default: the due date's own). */
    weekdays: z
      .array(z.enum(weekdays))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, { message: 'must not repeat a day' })
      .optional(),
    /** The last day it may fall on: completing it with no occurrence left by then closes it. */
    until: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
  })
  .refine((rule) => rule.weekdays === undefined || rule.every === 'week', { message: 'weekdays go only with every: "week"', path: ['weekdays'] });
export type Recurrence = z.infer<typeof recurrenceSchema>;

const dayMs = 86_400_000;
const parse = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Monday 0 … Sunday 6. */
const weekdayIndex = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
const daysInMonth = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/** `date` plus `months`, on the same day of the month, or the month's last day when it has fewer. */
function addMonths(date: string, months: number): string {
  const year = Number(date.slice(0, 4));
  const monthIndex = Number(date.slice(5, 7)) - 1 + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(targetYear, targetMonth));
  return format(Date.UTC(targetYear, targetMonth, day));
}

/** The calendar day of the next occurrence after `date` (`YYYY-MM-DD`), ignoring `until`. */
export function nextOccurrenceDay(date: string, rule: Recurrence): string {
  const interval = rule.interval ?? 1;
  switch (rule.every) {
    case 'day':
      return format(parse(date) + interval * dayMs);
    case 'month':
      return addMonths(date, interval);
    case 'year':
      return addMonths(date, 12 * interval);
    case 'week': {
      const start = parse(date);
      const days = new Set((rule.weekdays ?? [weekdays[weekdayIndex(start)]!]).map((day) => weekdays.indexOf(day)));
      // Later the same week, else the first of its days in the week `interval` weeks on.
      for (let offset = 1; weekdayIndex(start) + offset <= 6; offset++) if (days.has(weekdayIndex(start) + offset)) return format(start + offset * dayMs);
      const monday = start - weekdayIndex(start) * dayMs + interval * 7 * dayMs;
      return format(monday + Math.min(...days) * dayMs);
    }
  }
}

/**
 * The due date a repeating task moves to when completed, or null when no occurrence is left by `until` (completing
 * then closes it). A timed due date keeps its time of day and zone.
 */
export function nextDueDate(due: DueDate, rule: Recurrence): DueDate | null {
  const day = typeof due === 'string' ? due : due.dateTime.slice(0, 10);
  const next = nextOccurrenceDay(day, rule);
  if (rule.until !== undefined && next > rule.until) return null;
  return typeof due === 'string' ? next : { dateTime: `${next}${due.dateTime.slice(10)}`, timeZone: due.timeZone };
}

/** Short words for a rule: "every day", "every 2 weeks on Mon, Thu", "every month until 2027-06-30". */
export function describeRecurrence(rule: Recurrence): string {
  const interval = rule.interval ?? 1;
  const unit = interval === 1 ? `every ${rule.every}` : `every ${interval} ${rule.every}s`;
  const on = rule.weekdays ? ` on ${rule.weekdays.map((day) => day[0]!.toUpperCase() + day.slice(1)).join(', ')}` : '';
  const until = rule.until ? ` until ${rule.until}` : '';
  return `${unit}${on}${until}`;
}
