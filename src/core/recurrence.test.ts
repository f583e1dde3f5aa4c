import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anchoredRecurrence,
  describeRecurrence,
  nextDueDate,
  nextDueDateFrom,
  nextOccurrenceDay,
  recurrenceSchema,
  weekdays,
  type Recurrence,
} from './recurrence.js';

const next = (date: string, rule: Recurrence) => nextOccurrenceDay(date, rule);

describe('repeating tasks: the next occurrence', () => {
  it('days, months and years, with month ends kept in the month', () => {
    expect(next('2026-12-31', { every: 'day' })).toBe('2027-01-01');
    expect(next('2026-03-01', { every: 'day', interval: 3 })).toBe('2026-03-04');
    expect(next('2026-01-31', { every: 'month' })).toBe('2026-02-28');
    expect(next('2028-01-31', { every: 'month' })).toBe('2028-02-29');
    expect(next('2026-10-31', { every: 'month', interval: 4 })).toBe('2027-02-28');
    expect(next('2026-11-15', { every: 'month', interval: 2 })).toBe('2027-01-15');
    expect(next('2028-02-29', { every: 'year' })).toBe('2029-02-28');
    expect(next('2026-06-10', { every: 'year', interval: 2 })).toBe('2028-06-10');
  });

  it('a monthly or yearly rule keeps its day of the month through short months (dayOfMonth, set from the due date)', () => {
    const rent = anchoredRecurrence({ every: 'month' }, '2026-01-31');
    expect(rent).toEqual({ every: 'month', dayOfMonth: 31 });
    const days = ['2026-01-31'];
    for (let i = 0; i < 4; i++) days.push(next(days.at(-1)!, rent)!);
    expect(days).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    const leap = anchoredRecurrence({ every: 'year' }, '2028-02-29');
    const years = ['2028-02-29'];
    for (let i = 0; i < 4; i++) years.push(next(years.at(-1)!, leap)!);
    expect(years).toEqual(['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
    // Weekly and daily rules have no day of the month.
    expect(anchoredRecurrence({ every: 'week' }, '2026-01-31')).toEqual({ every: 'week' });
  });

  it('stays within years 0000–9999: none is left past 9999, and early years are not read as 19xx', () => {
    expect(next('9999-12-31', { every: 'day' })).toBeNull();
    expect(nextDueDate('9999-12-31', { every: 'day' })).toBeNull();
    expect(next('9999-06-01', { every: 'year' })).toBeNull();
    expect(next('2026-06-01', { every: 'year', interval: 999 })).toBe('3025-06-01');
    expect(next('9500-06-01', { every: 'year', interval: 999 })).toBeNull();
    expect(next('9999-12-28', { every: 'week', weekdays: ['mon'] })).toBeNull();
    expect(next('0050-06-01', { every: 'day' })).toBe('0050-06-02');
    expect(next('0099-12-31', { every: 'month' })).toBe('0100-01-31');
  });

  it('weeks: on the due date’s weekday by default, or on the days named, every `interval` weeks', () => {
    // 2026-11-23 is a Monday.
    expect(next('2026-11-23', { every: 'week' })).toBe('2026-11-30');
    expect(next('2026-11-23', { every: 'week', interval: 2 })).toBe('2026-12-07');
    expect(next('2026-11-23', { every: 'week', weekdays: ['mon', 'thu'] })).toBe('2026-11-26');
    expect(next('2026-11-26', { every: 'week', weekdays: ['mon', 'thu'] })).toBe('2026-11-30');
    expect(next('2026-11-26', { every: 'week', interval: 2, weekdays: ['thu', 'mon'] })).toBe('2026-12-07');
    // A due date on a day not in the list moves to the next listed day.
    expect(next('2026-11-24', { every: 'week', weekdays: ['mon'] })).toBe('2026-11-30');
    expect(next('2026-11-29', { every: 'week', weekdays: ['sat', 'sun'] })).toBe('2026-12-05');
  });

  it('keeps a due time and its zone; none is left past `until`', () => {
    expect(nextDueDate({ dateTime: '2026-03-28T09:30', timeZone: 'Europe/Paris' }, { every: 'day' })).toEqual({
      dateTime: '2026-03-29T09:30',
      timeZone: 'Europe/Paris',
    });
    expect(nextDueDate('2026-06-29', { every: 'day', until: '2026-06-30' })).toBe('2026-06-30');
    expect(nextDueDate('2026-06-30', { every: 'day', until: '2026-06-30' })).toBeNull();
  });

  it('is always later, on a real date, and on a listed weekday (property)', () => {
    const day = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const rule: fc.Arbitrary<Recurrence> = fc.oneof(
      fc.record({ every: fc.constantFrom('day' as const, 'month' as const, 'year' as const), interval: fc.integer({ min: 1, max: 40 }) }),
      fc.record({
        every: fc.constant('week' as const),
        interval: fc.integer({ min: 1, max: 10 }),
        weekdays: fc.subarray([...weekdays], { minLength: 1 }),
      }),
    );
    fc.assert(
      fc.property(day, rule, (date, r) => {
        const after = next(date, r)!;
        expect(after > date).toBe(true);
        expect(new Date(`${after}T00:00:00Z`).toISOString().slice(0, 10)).toBe(after);
        if (r.every === 'week') expect(r.weekdays).toContain(weekdays[(new Date(`${after}T00:00:00Z`).getUTCDay() + 6) % 7]);
        if (r.every === 'day') expect((Date.parse(after) - Date.parse(date)) / 86_400_000).toBe(r.interval);
      }),
    );
  });

  it('completing an overdue occurrence skips to the first one from today on, on the rule’s own days', () => {
    // Due Sunday the 22nd, completed on Wednesday the 25th.
    expect(nextDueDateFrom('2026-11-22', { every: 'day' }, '2026-11-25')).toBe('2026-11-25');
    expect(nextDueDateFrom('2026-11-16', { every: 'week' }, '2026-11-25')).toBe('2026-11-30');
    expect(nextDueDateFrom('2026-11-16', { every: 'week', weekdays: ['mon', 'thu'] }, '2026-11-25')).toBe('2026-11-26');
    expect(nextDueDateFrom({ dateTime: '2026-10-31T08:00', timeZone: 'Europe/Paris' }, { every: 'month', dayOfMonth: 31 }, '2026-11-25')).toEqual({
      dateTime: '2026-11-30T08:00',
      timeZone: 'Europe/Paris',
    });
    // Not yet due: the next occurrence, as before. Past `until`: none.
    expect(nextDueDateFrom('2026-11-25', { every: 'day' }, '2026-11-25')).toBe('2026-11-26');
    expect(nextDueDateFrom('2026-11-01', { every: 'day', until: '2026-11-20' }, '2026-11-25')).toBeNull();
  });

  it('rules are checked', () => {
    expect(recurrenceSchema.safeParse({ every: 'day', weekdays: ['mon'] }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'week', weekdays: ['mon', 'mon'] }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'week', weekdays: [] }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'hour' }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'month', interval: 0 }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'month', until: '2026-02-30' }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'week', interval: 2, weekdays: ['tue', 'fri'], until: '2027-01-01' }).success).toBe(true);
    expect(recurrenceSchema.safeParse({ every: 'week', dayOfMonth: 3 }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'month', dayOfMonth: 32 }).success).toBe(false);
    expect(recurrenceSchema.safeParse({ every: 'month', dayOfMonth: 31 }).success).toBe(true);
  });

  it('reads as words', () => {
    expect(describeRecurrence({ every: 'day' })).toBe('every day');
    expect(describeRecurrence({ every: 'week', interval: 2, weekdays: ['mon', 'thu'] })).toBe('every 2 weeks on Mon, Thu');
    expect(describeRecurrence({ every: 'month', until: '2027-06-30' })).toBe('every month until 2027-06-30');
  });
});
