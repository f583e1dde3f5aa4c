import { describe, expect, it } from 'vitest';
import type { DueDate } from '../../core/schemas/index.js';
import { addDays, formatDay, groupByDueDay, sectionTitle, upcomingThrough } from './due-days.js';

const task = (id: string, dueDate: DueDate | null, priority = 4) => ({ id, dueDate, priority });
const paris = (dateTime: string): DueDate => ({ dateTime, timeZone: 'Europe/Paris' });

describe('addDays', () => {
  it('counts calendar days across months, years, leap days and daylight-saving changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30'); // the clocks go forward in Europe that night
    expect(addDays('2026-12-29', 6)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(upcomingThrough('2026-12-29')).toBe('2027-01-04'); // seven days, today included
  });
});

describe('groupByDueDay', () => {
  const today = '2026-03-05'; // a Thursday

  it('puts every earlier day in Overdue, then today, tomorrow and each later day that has a task, in order', () => {
    const sections = groupByDueDay(
      [
        task('a', '2026-03-09'),
        task('b', '2026-03-05'),
        task('c', '2026-03-04'),
        task('d', '2026-02-20'),
        task('e', '2026-03-06'),
        task('f', null),
        task('g', paris('2026-03-05T08:00')),
      ],
      today,
    );
    expect(sections.map((section) => [section.key, section.kind, section.tasks.map((t) => t.id)])).toEqual([
      ['overdue', 'overdue', ['d', 'c']],
      ['2026-03-05', 'today', ['b', 'g']],
      ['2026-03-06', 'tomorrow', ['e']],
      ['2026-03-09', 'day', ['a']],
    ]);
    expect(sections.map((section) => sectionTitle(section, today, 'en-US'))).toEqual(['Overdue', 'Today', 'Tomorrow', 'Monday, Mar 9']);
  });

  it('orders a day as the server does: all-day tasks first, then by time, then priority, then id', () => {
    const [day] = groupByDueDay(
      [
        task('t2', paris('2026-03-05T09:30'), 1),
        task('t1', paris('2026-03-05T08:00'), 4),
        task('x', '2026-03-05', 4),
        task('w', '2026-03-05', 1),
        task('v', '2026-03-05', 4),
      ],
      today,
    );
    expect(day!.tasks.map((t) => t.id)).toEqual(['w', 'v', 'x', 't1', 't2']);
  });

  it('counts a timed task by the date written, whatever its zone', () => {
    // 23:30 in Tokyo on the 4th: due on the 4th as written, so overdue today in any zone.
    const sections = groupByDueDay([task('late', { dateTime: '2026-03-04T23:30', timeZone: 'Asia/Tokyo' })], today);
    expect(sections.map((section) => section.kind)).toEqual(['overdue']);
  });

  it('has no sections without dated tasks', () => {
    expect(groupByDueDay([task('f', null)], today)).toEqual([]);
  });
});

describe('formatDay', () => {
  it('writes the weekday and date, with the year only when it is not this one', () => {
    expect(formatDay('2026-03-09', '2026-03-05', 'en-US')).toBe('Monday, Mar 9');
    expect(formatDay('2027-01-02', '2026-12-30', 'en-US')).toBe('Saturday, Jan 2, 2027');
    expect(formatDay('2026-03-09', '2026-03-05', 'en-GB')).toBe('Monday 9 Mar');
  });
});
