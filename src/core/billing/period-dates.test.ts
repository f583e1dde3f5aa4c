import { describe, expect, it } from 'vitest';
import { describePeriodDays, periodDays } from './period-dates.js';
import { periodContaining, periodLocalDates } from './periods.js';

describe('periodDays', () => {
  it('names March in Paris March 1 to 31, not the UTC dates of its instants (Feb 28 to March 31)', () => {
    // 00:00 on March 1 (UTC+1) to 00:00 on April 1 (UTC+2).
    const days = periodDays('2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 'Europe/Paris');
    expect(days).toEqual({ first: '2026-03-01', last: '2026-03-31', timezone: 'Europe/Paris' });
    expect(describePeriodDays(days)).toBe('2026-03-01 to 2026-03-31 (Europe/Paris)');
  });

  it('treats the end as exclusive in every zone', () => {
    expect(periodDays('2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 'UTC')).toMatchObject({ first: '2026-03-01', last: '2026-03-31' });
    // March in New York: 05:00Z on March 1 to 04:00Z on April 1 (DST began on March 8).
    expect(periodDays('2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', 'America/New_York')).toMatchObject({ first: '2026-03-01', last: '2026-03-31' });
    // February of a leap year in Tokyo (UTC+9): its instants fall on Jan 31 and Feb 29 in UTC.
    expect(periodDays('2028-01-31T15:00:00.000Z', '2028-02-29T15:00:00.000Z', 'Asia/Tokyo')).toMatchObject({ first: '2028-02-01', last: '2028-02-29' });
  });

  it('names a period shorter than a day by its first day', () => {
    expect(periodDays('2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z', 'UTC')).toMatchObject({ first: '2026-03-01', last: '2026-03-01' });
  });

  it('gives the first and last of the days the invoice lines bill, for calendar and anniversary periods alike', () => {
    const schedules = [
      { startAt: '2026-01-17T10:00:00.000Z', interval: 'month', anchor: 'calendar', timezone: 'Europe/Paris' },
      { startAt: '2026-01-31T14:37:00.000Z', interval: 'month', anchor: 'anniversary', timezone: 'America/Los_Angeles' },
      { startAt: '2025-11-02T08:00:00.000Z', interval: 'month', anchor: 'calendar', timezone: 'Pacific/Auckland' },
      { startAt: '2026-03-29T00:30:00.000Z', interval: 'year', anchor: 'anniversary', timezone: 'Europe/London' },
    ] as const;
    for (const schedule of schedules) {
      let instant: string = schedule.startAt;
      for (let index = 0; index < 14; index++) {
        const period = periodContaining(schedule, instant);
        const lineDays = periodLocalDates(period);
        expect(periodDays(period.start, period.end, period.timezone)).toEqual({ first: lineDays[0], last: lineDays.at(-1), timezone: schedule.timezone });
        instant = period.end;
      }
    }
  });
});
