/**
 * Billing periods of a subscription in its own time zone: calendar periods start at local midnight
 * on the 1st, anniversary periods on the start's day of month, both through DST changes and leap days.
 * Every instant is passed in; nothing here reads the clock.
 */
import { Decimal } from './decimal.js';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { isoInstant, timeZoneSchema } from '../schemas/common.js';
import { dayNumberOf, isoDateOfDayNumber } from './local-dates.js';

export const billingIntervals = ['month', 'year'] as const;
export type BillingInterval = (typeof billingIntervals)[number];

export const subscriptionScheduleSchema = z.object({
  /** When the subscription started, an ISO instant with an offset. */
  startAt: isoInstant,
  interval: z.enum(billingIntervals),
  /** `calendar`: periods start on the 1st (Jan 1 for yearly); `anniversary`: on the start's date and time. */
  anchor: z.enum(['calendar', 'anniversary']),
  timezone: timeZoneSchema,
});
export type SubscriptionSchedule = z.infer<typeof subscriptionScheduleSchema>;

export interface BillingPeriod {
  /** First instant of the period, UTC, `toISOString()` format. */
  start: string;
  /** First instant after the period (exclusive), same format. */
  end: string;
  /** Local calendar days the period touches, its first (possibly partial) day included. */
  days: number;
  /**
   * Local days of the whole month or year the period belongs to: equal to `days`, except for the
   * partial first period of a calendar subscription (17 days of a 31-day January).
   */
  fullDays: number;
  timezone: string;
}

const offsetSuffix = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** Parses an ISO instant into the given zone; an instant must carry its offset, so it is never ambiguous. */
function instantIn(instant: string, timezone: string): DateTime {
  const parsed = DateTime.fromISO(instant, { zone: timezone });
  if (!offsetSuffix.test(instant) || !parsed.isValid) {
    throw new RangeError(`Not an ISO instant with an offset: ${instant}`);
  }
  return parsed;
}

function toIsoInstant(dateTime: DateTime): string {
  return new Date(dateTime.toMillis()).toISOString();
}

function localDayNumber(dateTime: DateTime): number {
  return dayNumberOf(dateTime.toISODate() as string);
}

/** The boundaries of a subscription's periods, numbered from 0 (the period it started in). */
class PeriodBoundaries {
  private readonly start: DateTime;
  /** Calendar anchor: the local start of the month (or year) the subscription started in. */
  private readonly calendarStart: DateTime;

  constructor(private readonly schedule: SubscriptionSchedule) {
    if (!DateTime.fromMillis(0, { zone: schedule.timezone }).isValid) {
      throw new RangeError(`Unknown time zone: ${schedule.timezone}`);
    }
    this.start = instantIn(schedule.startAt, schedule.timezone);
    this.calendarStart = this.start.startOf(schedule.interval);
  }

  /** Start of period `index`. Always counted from the anchor, never from the previous period, so Jan 31 → Feb 28 → Mar 31. */
  startOf(index: number): DateTime {
    if (index === 0) return this.start;
    // Luxon adds months in local wall time and clamps to the month's last day; a wall time lost
    // to DST moves forward by the gap.
    const anchor = this.schedule.anchor === 'calendar' ? this.calendarStart : this.start;
    return anchor.plus({ [this.schedule.interval]: index });
  }

  /** Index of the period containing `instant`, which must not precede the start. */
  indexOf(instant: DateTime): number {
    if (instant < this.start) throw new RangeError('The instant precedes the start of the subscription');
    const anchor = this.schedule.anchor === 'calendar' ? this.calendarStart : this.start;
    let index = Math.max(0, Math.floor(instant.diff(anchor, this.schedule.interval).get(this.schedule.interval)));
    while (index > 0 && this.startOf(index) > instant) index -= 1;
    while (this.startOf(index + 1) <= instant) index += 1;
    return index;
  }

  period(index: number): BillingPeriod {
    const start = this.startOf(index);
    const end = this.startOf(index + 1);
    const days = localDayNumber(end) - localDayNumber(start);
    const isPartialCalendarPeriod = index === 0 && this.schedule.anchor === 'calendar';
    const fullDays = isPartialCalendarPeriod ? localDayNumber(end) - localDayNumber(this.calendarStart) : days;
    return { start: toIsoInstant(start), end: toIsoInstant(end), days, fullDays, timezone: this.schedule.timezone };
  }
}

/** The billing period containing `instant`. Throws RangeError when it precedes `schedule.startAt`. */
export function periodContaining(schedule: SubscriptionSchedule, instant: string): BillingPeriod {
  const boundaries = new PeriodBoundaries(schedule);
  return boundaries.period(boundaries.indexOf(instantIn(instant, schedule.timezone)));
}

/** The period right after `period`. */
export function nextPeriod(schedule: SubscriptionSchedule, period: BillingPeriod): BillingPeriod {
  return periodContaining(schedule, period.end);
}

/** Every period overlapping [`from`, `to`), in order; empty when `to` is not after `from`. */
export function periodsBetween(schedule: SubscriptionSchedule, from: string, to: string): BillingPeriod[] {
  const boundaries = new PeriodBoundaries(schedule);
  const fromInstant = DateTime.max(instantIn(from, schedule.timezone), boundaries.startOf(0));
  const toInstant = instantIn(to, schedule.timezone);
  const periods: BillingPeriod[] = [];
  if (toInstant <= fromInstant) return periods;
  for (let index = boundaries.indexOf(fromInstant); boundaries.startOf(index) < toInstant; index += 1) {
    periods.push(boundaries.period(index));
  }
  return periods;
}

/**
 * Share of a period's fee still due from `fromInstant`: remaining local days ÷ days of the full
 * month or year, counting `fromInstant`'s own day. A plan change on day 11 of a 30-day month
 * leaves 20/30; on the start of a partial first calendar period it gives that period's share (17/31).
 */
export function prorationFactor(period: BillingPeriod, fromInstant: string): Decimal {
  const from = instantIn(fromInstant, period.timezone);
  const start = instantIn(period.start, period.timezone);
  const end = instantIn(period.end, period.timezone);
  const effectiveFrom = from < start ? start : from;
  if (effectiveFrom >= end) return new Decimal(0);
  const remainingDays = localDayNumber(end) - localDayNumber(effectiveFrom);
  return new Decimal(remainingDays).div(period.fullDays);
}

/** The local calendar date ("YYYY-MM-DD") of an instant in a time zone. */
export function localDateOf(instant: string, timezone: string): string {
  return instantIn(instant, timezone).toISODate() as string;
}

/** The local dates a period touches, in order: the days active-member billing counts. */
export function periodLocalDates(period: BillingPeriod): string[] {
  const first = dayNumberOf(localDateOf(period.start, period.timezone));
  return Array.from({ length: period.days }, (_, offset) => isoDateOfDayNumber(first + offset));
}
