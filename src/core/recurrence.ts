/**
 * Repeating tasks: a rule saying how a task's due date moves on when it is completed ("every day", "every 2 weeks
 * on Monday and Thursday", "every month until 2027-06-30"). Completing a repeating task does not close it: its due
 * date moves to the next occurrence after the one completed (from the due date, not from the day it was done, so
 * "every Monday" stays on Mondays), keeping its time of day and zone. Past `until`, completing closes it.
 *
 * Calendar arithmetic on `YYYY-MM-DD` only, in UTC (a calendar date has no zone), years 0000–9999: a month later than
 * January 31 is the last day of February, and the month after that March 31 again (`dayOfMonth`); a year after
 * February 29 is February 28, and February 29 again in the next leap year.
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
    /**
     * With `every: 'month'` or `'year'`: the day of the month it falls on, or the month's last day when the month is
     * shorter (so "every month on the 31st" is February 28, then March 31). Set by the server from the due date when
     * the rule or the due date is set, so the day is not lost to a short month.
     */
    dayOfMonth: z.number().int().min(1).max(31).optional(),
    /** The last day it may fall on: completing it with no occurrence left by then closes it. */
    until: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
  })
  .refine((rule) => rule.weekdays === undefined || rule.every === 'week', { message: 'weekdays go only with every: "week"', path: ['weekdays'] })
  .refine((rule) => rule.dayOfMonth === undefined || rule.every === 'month' || rule.every === 'year', {
    message: 'dayOfMonth goes only with every: "month" or "year"',
    path: ['dayOfMonth'],
  });
export type Recurrence = z.infer<typeof recurrenceSchema>;

const dayMs = 86_400_000;
/** Due dates stop at year 9999 (`YYYY`): a rule has no occurrence beyond it. */
const lastDay = '9999-12-31';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** A UTC day from its parts; `setUTCFullYear`, unlike `Date.UTC`, does not read years 0–99 as 1900–1999. */
function utcDay(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}
const parse = (date: string) => utcDay(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
function format(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}
/** Monday 0 … Sunday 6. */
const weekdayIndex = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
const daysInMonth = (year: number, monthIndex: number) => new Date(utcDay(year, monthIndex + 1, 0)).getUTCDate();

/** `date` plus `months`, on `dayOfMonth` (default: `date`'s own day), or the month's last day when it has fewer. */
function addMonths(date: string, months: number, dayOfMonth = Number(date.slice(8, 10))): string {
  const monthIndex = Number(date.slice(5, 7)) - 1 + months;
  const year = Number(date.slice(0, 4)) + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  if (year > 9999) return '10000-01-01'; // past `lastDay`: no occurrence
  return format(utcDay(year, month, Math.min(dayOfMonth, daysInMonth(year, month))));
}

/**
 * A rule as it is stored for a task due on `dueDay`: a monthly or yearly one remembers the due date's day of the
 * month (`dayOfMonth`), unless it names one; other rules are kept as they are.
 */
export function anchoredRecurrence(rule: Recurrence, dueDay: string): Recurrence {
  if (rule.every !== 'month' && rule.every !== 'year') return rule;
  return rule.dayOfMonth !== undefined ? rule : { ...rule, dayOfMonth: Number(dueDay.slice(8, 10)) };
}

/** The calendar day of the next occurrence after `date` (`YYYY-MM-DD`), ignoring `until`; null past year 9999. */
export function nextOccurrenceDay(date: string, rule: Recurrence): string | null {
  const interval = rule.interval ?? 1;
  let next: string;
  switch (rule.every) {
    case 'day':
      next = format(parse(date) + interval * dayMs);
      break;
    case 'month':
      next = addMonths(date, interval, rule.dayOfMonth);
      break;
    case 'year':
      next = addMonths(date, 12 * interval, rule.dayOfMonth);
      break;
    case 'week': {
      const start = parse(date);
      const days = new Set((rule.weekdays ?? [weekdays[weekdayIndex(start)]!]).map((day) => weekdays.indexOf(day)));
      // Later the same week, else the first of its days in the week `interval` weeks on.
      let found: number | null = null;
      for (let offset = 1; found === null && weekdayIndex(start) + offset <= 6; offset++)
        if (days.has(weekdayIndex(start) + offset)) found = start + offset * dayMs;
      const monday = start - weekdayIndex(start) * dayMs + interval * 7 * dayMs;
      next = format(found ?? monday + Math.min(...days) * dayMs);
      break;
    }
  }
  return next.length === 10 && next <= lastDay ? next : null;
}

/**
 * The due date a repeating task moves to when completed, or null when no occurrence is left by `until` (completing
 * then closes it, as it does past year 9999). A timed due date keeps its time of day and zone.
 */
export function nextDueDate(due: DueDate, rule: Recurrence): DueDate | null {
  const day = typeof due === 'string' ? due : due.dateTime.slice(0, 10);
  const next = nextOccurrenceDay(day, rule);
  if (next === null || (rule.until !== undefined && next > rule.until)) return null;
  return typeof due === 'string' ? next : { dateTime: `${next}${due.dateTime.slice(10)}`, timeZone: due.timeZone };
}

/**
 * `nextDueDate`, but never before `today` (the completing person's `YYYY-MM-DD`): completing an overdue repeating task
 * skips the occurrences already past, as Todoist and Things do, instead of leaving it overdue (a daily task three days
 * late would need three more ticks). Still on the rule's own days: "every Monday" stays on Mondays. Null when no
 * occurrence is left by `until` (or year 9999).
 */
export function nextDueDateFrom(due: DueDate, rule: Recurrence, today: string): DueDate | null {
  let next = nextDueDate(due, rule);
  // Bounded: a day-by-day rule catches up a year in 366 steps; a rule that cannot reach `today` ends at year 9999.
  for (let steps = 0; next !== null && steps < 4000; steps++) {
    const day = typeof next === 'string' ? next : next.dateTime.slice(0, 10);
    if (day >= today) return next;
    next = nextDueDate(next, rule);
  }
  return next;
}

/** Short words for a rule: "every day", "every 2 weeks on Mon, Thu", "every month until 2027-06-30". */
export function describeRecurrence(rule: Recurrence): string {
  const interval = rule.interval ?? 1;
  const unit = interval === 1 ? `every ${rule.every}` : `every ${interval} ${rule.every}s`;
  const on = rule.weekdays ? ` on ${rule.weekdays.map((day) => day[0]!.toUpperCase() + day.slice(1)).join(', ')}` : '';
  const until = rule.until ? ` until ${rule.until}` : '';
  return `${unit}${on}${until}`;
}
