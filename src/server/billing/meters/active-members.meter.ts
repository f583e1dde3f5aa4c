/**
 * `active_members`, after Slack's Fair Billing Policy: a person is active on a local day of the period
 * when they did anything in the workspace in the window (28 days by default, per plan) ending that day.
 * Activity is the activity log (any event with an actor) plus ingested `active_members` events naming
 * the person in `properties.userId` (imports; they count whether or not the person is still a member).
 * Quantity = active member-days ÷ days of the period, computed by the pure `activeMembersQuantity`.
 */
import { Decimal } from '../../../core/billing/decimal.js';
import { DateTime } from 'luxon';
import { activeMembersQuantity } from '../../../core/billing/active-members.js';
import { segmentLocalDates } from '../../../core/billing/period-invoice.js';
import { activityByActor, halfDayOf, presenceByPerson } from '../usage.repository.js';
import { readEventValue, type MeterContext, type MeterDefinition } from './meter-definition.js';

/**
 * Local date of ISO instants in a zone, fast: per UTC half-day (the rollups' bucket) the zone is asked
 * once for the local date(s) the half-day spans and the instant of the local midnight inside it, if
 * any; each instant is then one string comparison. A half-day never spans three local dates.
 */
export function localDateResolver(timezone: string): (instant: string) => string {
  const buckets = new Map<string, { before: string; after: string; midnight: string | null }>();
  return (instant) => {
    const bucket = halfDayOf(instant);
    let dates = buckets.get(bucket);
    if (!dates) {
      const start = Date.parse(`${bucket.slice(0, 10)}T${bucket.endsWith('0') ? '00' : '12'}:00:00.000Z`);
      const first = DateTime.fromMillis(start, { zone: timezone });
      const last = DateTime.fromMillis(start + 43_199_999, { zone: timezone });
      const before = first.toISODate() as string;
      const after = last.toISODate() as string;
      dates = { before, after, midnight: before === after ? null : (last.startOf('day').toUTC().toISO() as string) };
      buckets.set(bucket, dates);
    }
    return dates.midnight !== null && instant >= dates.midnight ? dates.after : dates.before;
  };
}

/** First instant whose activity can make someone active on the slice's first day. */
function activityFrom(ctx: MeterContext, firstDate: string): string {
  return DateTime.fromISO(firstDate, { zone: ctx.period.timezone })
    .minus({ days: ctx.activeMembersWindowDays - 1 })
    .startOf('day')
    .toUTC()
    .toISO() as string;
}

export const activeMembersMeter: MeterDefinition = {
  code: 'active_members',
  name: 'Active members',
  builtIn: true,
  description:
    'Fair billing: member-days active in the period ÷ days in the period; a member is active on a day when they did anything in the workspace in the window ending that day.',
  aggregation: 'active_members',
  property: 'userId',
  filter: null,

  readEvent(event) {
    // The value counts for nothing here, but it is stored, so it is checked like any meter's.
    const read = readEventValue(event);
    if ('rejection' in read) return read;
    const userId = event.properties?.userId;
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 255) {
      return { rejection: 'missing_property', message: 'properties.userId must name the person who was active' };
    }
    return { value: read.value, measure: null, distinctKey: userId, counted: true };
  },

  async quantity(ctx) {
    const dates = segmentLocalDates(ctx.period, ctx.from, ctx.to);
    if (dates.length === 0) return new Decimal(0);
    const from = activityFrom(ctx, dates[0] as string);
    const [logged, ingested] = await Promise.all([
      activityByActor(ctx.db, ctx.workspaceId, from, ctx.to),
      presenceByPerson(ctx.db, { workspaceId: ctx.workspaceId, meter: 'active_members', from, to: ctx.to }),
    ]);
    const localDate = localDateResolver(ctx.period.timezone);
    const activityByMember = new Map<string, Set<string>>();
    for (const row of [...logged, ...ingested]) {
      let days = activityByMember.get(row.person);
      if (!days) activityByMember.set(row.person, (days = new Set()));
      for (const instant of row.spans.split(' ')) days.add(localDate(instant));
    }
    const result = activeMembersQuantity({ periodDates: dates, activityByMember, windowDays: ctx.activeMembersWindowDays });
    // Seats are per full month (or year): a member active every day of a partial first period is that share of a seat.
    return new Decimal(result.activeMemberDays).div(ctx.period.fullDays);
  },

  traceSource(ctx) {
    const dates = segmentLocalDates(ctx.period, ctx.from, ctx.to);
    const from = dates.length === 0 ? ctx.from : activityFrom(ctx, dates[0] as string);
    return { eventsFrom: from, activity: { types: null, from } };
  },
};
