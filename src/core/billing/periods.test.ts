import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDateOf, nextPeriod, periodContaining, periodLocalDates, periodsBetween, prorationFactor, type SubscriptionSchedule } from './periods.js';

function schedule(fields: Partial<SubscriptionSchedule>): SubscriptionSchedule {
  return { startAt: '2026-01-15T13:00:00Z', interval: 'month', anchor: 'calendar', timezone: 'UTC', ...fields };
}

function localTime(instant: string, timezone: string): string {
  return DateTime.fromISO(instant, { zone: timezone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

describe('calendar periods', () => {
  const paris = schedule({ timezone: 'Europe/Paris' });

  it('start with a partial period from the start, then whole months from local midnight on the 1st', () => {
    expect(periodContaining(paris, '2026-01-20T10:00:00Z')).toEqual({
      start: '2026-01-15T13:00:00.000Z',
      end: '2026-01-31T23:00:00.000Z',
      days: 17,
      fullDays: 31,
      timezone: 'Europe/Paris',
    });
    expect(periodContaining(paris, '2026-02-10T00:00:00Z')).toMatchObject({
      start: '2026-01-31T23:00:00.000Z',
      end: '2026-02-28T23:00:00.000Z',
      days: 28,
      fullDays: 28,
    });
  });

  it.each([
    // Europe/Paris springs forward on 2026-03-29 and falls back on 2026-10-25.
    ['Europe/Paris', '2026-03-15T12:00:00Z', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 31],
    ['Europe/Paris', '2026-10-15T12:00:00Z', '2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z', 31],
    // America/New_York springs forward on 2026-03-08 and falls back on 2026-11-01.
    ['America/New_York', '2026-03-15T12:00:00Z', '2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', 31],
    ['America/New_York', '2026-11-15T12:00:00Z', '2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 30],
  ])('in %s, the month around %s runs from local midnight to local midnight across DST', (timezone, instant, start, end, days) => {
    const period = periodContaining(schedule({ timezone }), instant);
    expect(period).toMatchObject({ start, end, days });
    expect(localTime(period.start, timezone)).toMatch(/-01T00:00$/);
    expect(localTime(period.end, timezone)).toMatch(/-01T00:00$/);
  });

  it('has 29 days in February of a leap year', () => {
    expect(periodContaining(schedule({ timezone: 'Europe/Paris' }), '2028-02-29T12:00:00Z')).toMatchObject({
      start: '2028-01-31T23:00:00.000Z',
      end: '2028-02-29T23:00:00.000Z',
      days: 29,
    });
  });

  it('bills whole years from Jan 1 after a partial first year', () => {
    const yearly = schedule({ interval: 'year', startAt: '2026-03-15T09:00:00Z', timezone: 'Europe/Paris' });
    const periods = periodsBetween(yearly, '2026-01-01T00:00:00Z', '2028-06-01T00:00:00Z');
    expect(periods.map(({ start, end, days, fullDays }) => [start, end, days, fullDays])).toEqual([
      ['2026-03-15T09:00:00.000Z', '2026-12-31T23:00:00.000Z', 292, 365],
      ['2026-12-31T23:00:00.000Z', '2027-12-31T23:00:00.000Z', 365, 365],
      ['2027-12-31T23:00:00.000Z', '2028-12-31T23:00:00.000Z', 366, 366],
    ]);
  });

  it('has no partial period when the subscription starts at local midnight on the 1st', () => {
    const period = periodContaining(schedule({ startAt: '2026-03-01T00:00:00+01:00', timezone: 'Europe/Paris' }), '2026-03-01T00:00:00+01:00');
    expect(period).toMatchObject({ start: '2026-02-28T23:00:00.000Z', days: 31, fullDays: 31 });
  });
});

describe('anniversary periods', () => {
  it('clamp a start on the 31st to shorter months, then come back to the 31st', () => {
    const periods = periodsBetween(schedule({ anchor: 'anniversary', startAt: '2026-01-31T09:00:00Z' }), '2026-01-31T09:00:00Z', '2026-05-01T00:00:00Z');
    expect(periods.map(({ start, days }) => [start, days])).toEqual([
      ['2026-01-31T09:00:00.000Z', 28],
      ['2026-02-28T09:00:00.000Z', 31],
      ['2026-03-31T09:00:00.000Z', 30],
      ['2026-04-30T09:00:00.000Z', 31],
    ]);
  });

  it('reach Feb 29 in a leap year', () => {
    const period = periodContaining(schedule({ anchor: 'anniversary', startAt: '2028-01-31T09:00:00Z' }), '2028-03-01T00:00:00Z');
    expect(period).toMatchObject({ start: '2028-02-29T09:00:00.000Z', end: '2028-03-31T09:00:00.000Z', days: 31 });
  });

  it('renew a Feb 29 yearly subscription on Feb 28, and on Feb 29 again in the next leap year', () => {
    const yearly = schedule({ anchor: 'anniversary', interval: 'year', startAt: '2028-02-29T12:00:00Z' });
    const starts = periodsBetween(yearly, '2028-02-29T12:00:00Z', '2032-03-01T00:00:00Z').map((period) => period.start);
    expect(starts).toEqual([
      '2028-02-29T12:00:00.000Z',
      '2029-02-28T12:00:00.000Z',
      '2030-02-28T12:00:00.000Z',
      '2031-02-28T12:00:00.000Z',
      '2032-02-29T12:00:00.000Z',
    ]);
  });

  it('keep the local time of day across DST', () => {
    // 09:00 in Paris is 08:00Z in winter and 07:00Z in summer.
    const period = periodContaining(schedule({ anchor: 'anniversary', startAt: '2026-03-10T08:00:00Z', timezone: 'Europe/Paris' }), '2026-03-20T00:00:00Z');
    expect(period).toMatchObject({ start: '2026-03-10T08:00:00.000Z', end: '2026-04-10T07:00:00.000Z', days: 31 });
  });

  it('move a time lost to DST forward for that period only', () => {
    // 02:30 does not exist in New York on 2026-03-08: that period starts at 03:30, the next at 02:30 again.
    const starts = periodsBetween(
      schedule({ anchor: 'anniversary', startAt: '2026-02-08T07:30:00Z', timezone: 'America/New_York' }),
      '2026-02-08T07:30:00Z',
      '2026-05-01T00:00:00Z',
    ).map((period) => localTime(period.start, 'America/New_York'));
    expect(starts).toEqual(['2026-02-08T02:30', '2026-03-08T03:30', '2026-04-08T02:30']);
  });
});

describe('finding periods', () => {
  const monthly = schedule({ timezone: 'Europe/Paris' });

  it('puts a boundary instant in the period it starts', () => {
    expect(periodContaining(monthly, '2026-02-28T23:00:00Z').start).toBe('2026-02-28T23:00:00.000Z');
    expect(periodContaining(monthly, '2026-02-28T22:59:59.999Z').start).toBe('2026-01-31T23:00:00.000Z');
  });

  it('accepts instants with any offset', () => {
    expect(periodContaining(monthly, '2026-03-01T00:00:00+01:00').start).toBe('2026-02-28T23:00:00.000Z');
  });

  it('chains next periods without gaps', () => {
    const first = periodContaining(monthly, '2026-01-15T13:00:00Z');
    const second = nextPeriod(monthly, first);
    expect(second.start).toBe(first.end);
    expect(nextPeriod(monthly, second).start).toBe(second.end);
  });

  it('lists the periods overlapping a range', () => {
    const periods = periodsBetween(monthly, '2026-02-15T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(periods.map((period) => period.start)).toEqual(['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    expect(periodsBetween(monthly, '2026-02-15T00:00:00Z', '2026-02-15T00:00:00Z')).toEqual([]);
    expect(periodsBetween(monthly, '2025-01-01T00:00:00Z', '2026-01-20T00:00:00Z')).toHaveLength(1);
  });

  it('refuses instants before the start, without an offset, or an unknown zone', () => {
    expect(() => periodContaining(monthly, '2026-01-15T12:59:59Z')).toThrow(RangeError);
    expect(() => periodContaining(monthly, '2026-03-01T00:00:00')).toThrow(RangeError);
    expect(() => periodContaining(schedule({ timezone: 'Mars/Olympus' }), '2026-03-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('prorationFactor', () => {
  const april = periodContaining(schedule({ timezone: 'Europe/Paris' }), '2026-04-15T00:00:00Z');

  it('leaves 20/30 when the plan changes on day 11 of a 30-day month, whatever the hour', () => {
    expect(prorationFactor(april, '2026-04-11T00:00:00+02:00').times(30).toFixed()).toBe('20');
    expect(prorationFactor(april, '2026-04-11T23:59:00+02:00').times(30).toFixed()).toBe('20');
  });

  it('is 1 from the start and 0 from the end', () => {
    expect(prorationFactor(april, april.start).toFixed()).toBe('1');
    expect(prorationFactor(april, '2026-01-01T00:00:00Z').toFixed()).toBe('1');
    expect(prorationFactor(april, april.end).toFixed()).toBe('0');
  });

  it('gives a partial first calendar period its share of the month', () => {
    const first = periodContaining(schedule({ timezone: 'Europe/Paris' }), '2026-01-20T00:00:00Z');
    expect(prorationFactor(first, first.start).times(31).toFixed()).toBe('17');
  });

  it('counts local days through DST', () => {
    const march = periodContaining(schedule({ timezone: 'America/New_York' }), '2026-03-15T00:00:00Z');
    // March 8 (the 23-hour day) is day 8 of 31: 24 days remain.
    expect(prorationFactor(march, '2026-03-08T12:00:00-04:00').times(31).toFixed()).toBe('24');
  });
});

describe('local dates', () => {
  it('lists the days a period touches', () => {
    const first = periodContaining(schedule({ timezone: 'Europe/Paris' }), '2026-01-20T00:00:00Z');
    const dates = periodLocalDates(first);
    expect(dates).toHaveLength(17);
    expect([dates[0], dates.at(-1)]).toEqual(['2026-01-15', '2026-01-31']);
  });

  it('reads the date in the subscription’s zone', () => {
    expect(localDateOf('2026-03-31T22:30:00Z', 'Europe/Paris')).toBe('2026-04-01');
    expect(localDateOf('2026-03-31T22:30:00Z', 'America/New_York')).toBe('2026-03-31');
  });
});
