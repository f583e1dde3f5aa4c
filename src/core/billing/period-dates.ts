/**
 * The days a billing period is named by, wherever people read one: the invoice's lines, the printable
 * invoice and the web app all show the same first and last day, in the subscription's time zone.
 */
import { dayNumberOf, isoDateOfDayNumber } from './local-dates.js';
import { localDateOf } from './periods.js';

export interface PeriodDays {
  /** First local day the period bills ("YYYY-MM-DD"). */
  first: string;
  /** Last local day it bills: the day before the one its (exclusive) end falls on. */
  last: string;
  timezone: string;
}

/**
 * The local days of the period [`start`, `end`) in `timezone`, as its invoice lines name them
 * (`periodLocalDates`): the end is exclusive, so March in Paris — 2026-02-28T23:00Z to 2026-03-31T22:00Z —
 * is 2026-03-01 to 2026-03-31, never the UTC dates of its instants. A period shorter than a local day
 * is named by its first day alone.
 */
export function periodDays(start: string, end: string, timezone: string): PeriodDays {
  const first = localDateOf(start, timezone);
  const endDay = dayNumberOf(localDateOf(end, timezone));
  return { first, last: isoDateOfDayNumber(Math.max(dayNumberOf(first), endDay - 1)), timezone };
}

/** The period as the printable invoice writes it: `2026-03-01 to 2026-03-31 (Europe/Paris)`. */
export function describePeriodDays(days: PeriodDays): string {
  return `${days.first} to ${days.last} (${days.timezone})`;
}
