/**
 * Active-member billing after Slack's Fair Billing Policy: a member costs only for the days they
 * count as active, and is active on a day when they did anything in the `windowDays` days ending
 * that day (Slack uses 28). The billed quantity is member-days divided by the period's days, so a
 * member active 20 days of a 30-day month is 20/30 of a seat.
 */
import { Decimal } from './decimal.js';
import { dayNumberOf } from './local-dates.js';

export const defaultActivityWindowDays = 28;

export type ActivityByMember = ReadonlyMap<string, Iterable<string>> | Readonly<Record<string, Iterable<string>>>;

export interface ActiveMembersInput {
  /** Local dates of the billing period, "YYYY-MM-DD" (see `periodLocalDates`). */
  periodDates: readonly string[];
  /**
   * Per member, the local dates they did anything. Include the `windowDays − 1` days before the
   * period: activity there still makes a member active early in the period.
   */
  activityByMember: ActivityByMember;
  /** Days a single action keeps a member active, the action's day included. */
  windowDays?: number;
}

export interface ActiveMembersResult {
  /** Seats to bill: active member-days ÷ days in the period, not rounded. */
  quantity: Decimal;
  /** Sum over members of their active days in the period. */
  activeMemberDays: number;
  /** Active days in the period of each member who had any. */
  activeDaysByMember: Map<string, number>;
}

/**
 * Billed active-member quantity of a period. Runs in O(days + activity dates) per member: each
 * member's activity is swept once alongside the period's days.
 */
export function activeMembersQuantity(input: ActiveMembersInput): ActiveMembersResult {
  const windowDays = input.windowDays ?? defaultActivityWindowDays;
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError('windowDays must be a positive whole number');
  const periodDays = [...new Set(input.periodDates.map(dayNumberOf))].sort((a, b) => a - b);
  if (periodDays.length === 0) throw new RangeError('A billing period has at least one day');

  const activeDaysByMember = new Map<string, number>();
  let activeMemberDays = 0;
  // Members share the same few dates: parse each once.
  const dayNumbers = new Map<string, number>();
  const dayNumberOfDate = (date: string) => {
    let day = dayNumbers.get(date);
    if (day === undefined) dayNumbers.set(date, (day = dayNumberOf(date)));
    return day;
  };
  for (const [memberId, dates] of memberEntries(input.activityByMember)) {
    const activeDays = countActiveDays(periodDays, activityDays(dates, dayNumberOfDate), windowDays);
    if (activeDays > 0) activeDaysByMember.set(memberId, activeDays);
    activeMemberDays += activeDays;
  }
  return {
    quantity: new Decimal(activeMemberDays).div(periodDays.length),
    activeMemberDays,
    activeDaysByMember,
  };
}

function memberEntries(activity: ActivityByMember): Iterable<[string, Iterable<string>]> {
  return activity instanceof Map ? activity.entries() : Object.entries(activity);
}

function activityDays(dates: Iterable<string>, toDay: (date: string) => number): number[] {
  return Array.from(dates, toDay).sort((a, b) => a - b);
}

/** Days of `periodDays` (ascending) within `windowDays` after some activity day (ascending). */
function countActiveDays(periodDays: readonly number[], activity: readonly number[], windowDays: number): number {
  let count = 0;
  let next = 0;
  let lastActivity = Number.NEGATIVE_INFINITY;
  for (const day of periodDays) {
    while (next < activity.length && (activity[next] as number) <= day) {
      lastActivity = activity[next] as number;
      next += 1;
    }
    if (day - lastActivity < windowDays) count += 1;
  }
  return count;
}
