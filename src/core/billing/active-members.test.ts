import { describe, expect, it } from 'vitest';
import { activeMembersQuantity } from './active-members.js';
import { isoDateOfDayNumber, dayNumberOf } from './local-dates.js';

/** Dates from `first` for `count` days. */
function dates(first: string, count: number): string[] {
  const start = dayNumberOf(first);
  return Array.from({ length: count }, (_, offset) => isoDateOfDayNumber(start + offset));
}

const april = dates('2026-04-01', 30);

describe('activeMembersQuantity', () => {
  // https://slack.com/help/articles/218915077-Slacks-Fair-Billing-Policy (a member added 10 days into a 30-day month pays 20/30)
  it('bills a member active 20 days of a 30-day month for 20/30 of a seat', () => {
    const result = activeMembersQuantity({ periodDates: april, activityByMember: { ana: dates('2026-04-11', 20) } });
    expect(result.activeMemberDays).toBe(20);
    expect(result.quantity.times(30).toFixed()).toBe('20');
    expect(result.quantity.times(8).toDecimalPlaces(2).toFixed(2)).toBe('5.33');
  });

  it('keeps a member active for the window after their last action, then stops billing them', () => {
    // One action on April 1 keeps Ben active April 1–28 with Slack's 28-day window.
    const result = activeMembersQuantity({ periodDates: april, activityByMember: { ben: ['2026-04-01'] } });
    expect(result.activeDaysByMember.get('ben')).toBe(28);
  });

  it('counts activity before the period within the window', () => {
    // March 20 reaches April 16 (28 days inclusive): 16 days of April.
    const result = activeMembersQuantity({ periodDates: april, activityByMember: { cy: ['2026-03-20', '2026-02-01'] } });
    expect(result.activeDaysByMember.get('cy')).toBe(16);
  });

  it('takes a configurable window', () => {
    const activityByMember = new Map([['dee', new Set(['2026-04-05', '2026-04-07', '2026-04-20'])]]);
    // Window 3: April 5–7, 7–9 and 20–22, so 5, 6, 7, 8, 9, 20, 21, 22.
    const result = activeMembersQuantity({ periodDates: april, activityByMember, windowDays: 3 });
    expect(result.activeMemberDays).toBe(8);
    expect(activeMembersQuantity({ periodDates: april, activityByMember, windowDays: 1 }).activeMemberDays).toBe(3);
  });

  it('adds members up and leaves out those never active in the period', () => {
    const result = activeMembersQuantity({
      periodDates: april,
      activityByMember: {
        full: ['2026-03-30', '2026-04-20'],
        half: dates('2026-04-16', 15),
        gone: ['2026-03-01'],
        later: ['2026-05-02'],
      },
    });
    expect(Object.fromEntries(result.activeDaysByMember)).toEqual({ full: 30, half: 15 });
    expect(result.quantity.toFixed()).toBe('1.5');
  });

  it('runs in linear time for many members', () => {
    const activityByMember = new Map<string, string[]>();
    for (let member = 0; member < 20_000; member += 1) activityByMember.set(`m${member}`, [april[member % 30] as string]);
    const startedAt = performance.now();
    const result = activeMembersQuantity({ periodDates: april, activityByMember });
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(result.activeDaysByMember.size).toBe(20_000);
  });

  it('rejects malformed dates and windows', () => {
    expect(() => activeMembersQuantity({ periodDates: ['2026-02-30'], activityByMember: {} })).toThrow(RangeError);
    expect(() => activeMembersQuantity({ periodDates: april, activityByMember: { x: ['April 1'] } })).toThrow(RangeError);
    expect(() => activeMembersQuantity({ periodDates: april, activityByMember: {}, windowDays: 0 })).toThrow(RangeError);
    expect(() => activeMembersQuantity({ periodDates: [], activityByMember: {} })).toThrow(RangeError);
  });
});
