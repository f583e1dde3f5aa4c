import { describe, expect, it } from 'vitest';
import type { Recurrence } from '../../core/recurrence.js';
import {
  answeredOccurrenceMessage,
  completedLocally,
  describeRule,
  draftOf,
  formatDueDay,
  nextDueOnCompletion,
  nextOccurrenceMessage,
  presetOf,
  recurrenceOf,
  repeatHint,
  ruleOfDraft,
  ruleOfPreset,
  sameDueDate,
  weekdayOf,
} from './repeat-rules.js';

const thursday = '2026-11-26';
const timed = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Paris' });

describe('the Repeat menu', () => {
  it('each preset stands for its rule, and shows it again', () => {
    for (const preset of ['none', 'day', 'weekday', 'week', 'month', 'year'] as const) {
      expect(presetOf(ruleOfPreset(preset), thursday), preset).toBe(preset);
    }
    expect(ruleOfPreset('weekday')).toEqual({ every: 'week', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(ruleOfPreset('week')).toEqual({ every: 'week' });
    expect(ruleOfPreset('none')).toBeNull();
  });

  it('a rule that is not exactly a preset is Custom; the due date’s own weekday is Every week', () => {
    expect(presetOf({ every: 'week', weekdays: ['thu'] }, thursday)).toBe('week');
    expect(presetOf({ every: 'week', weekdays: ['thu'] }, timed('2026-11-26T09:00'))).toBe('week');
    expect(presetOf({ every: 'week', weekdays: ['mon'] }, thursday)).toBe('custom');
    expect(presetOf({ every: 'week', weekdays: ['fri', 'thu', 'wed', 'tue', 'mon'] }, thursday)).toBe('weekday');
    expect(presetOf({ every: 'day', interval: 2 }, thursday)).toBe('custom');
    expect(presetOf({ every: 'month', until: '2027-01-01' }, thursday)).toBe('custom');
    expect(presetOf({ every: 'day', interval: 1 }, thursday)).toBe('day');
  });

  it('the Custom… form opens on the rule (or every week on the due date’s day) and makes a rule of what was typed', () => {
    expect(weekdayOf(thursday)).toBe('thu');
    expect(draftOf(null, thursday)).toEqual({ interval: '1', every: 'week', weekdays: ['thu'], until: '' });
    const rule: Recurrence = { every: 'week', interval: 2, weekdays: ['mon', 'thu'], until: '2027-06-30' };
    expect(ruleOfDraft(draftOf(rule, thursday), thursday)).toEqual({ rule });
    expect(ruleOfDraft({ interval: ' 3 ', every: 'day', weekdays: ['mon'], until: '' }, thursday)).toEqual({ rule: { every: 'day', interval: 3 } });
    expect(ruleOfDraft({ interval: '1', every: 'week', weekdays: ['sun', 'mon'], until: '' }, thursday)).toEqual({
      rule: { every: 'week', weekdays: ['mon', 'sun'] },
    });
    for (const interval of ['0', '1000', '', '1.5', 'two']) {
      expect(ruleOfDraft({ interval, every: 'day', weekdays: [], until: '' }, thursday), interval).toHaveProperty('error');
    }
    expect(ruleOfDraft({ interval: '1', every: 'day', weekdays: [], until: '2026-11-25' }, thursday)).toEqual({
      error: 'The end date is before the due date.',
    });
  });
});

describe('completing a task here, before the server answers', () => {
  it('a repeating task stays open on its next date, its time and zone kept; any other is done', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    const base = { done: false, completedAt: null, title: 'Bins' };
    expect(completedLocally({ ...base, dueDate: '2026-11-23', recurrence: { every: 'week', weekdays: ['mon', 'thu'] } }, now)).toMatchObject({
      done: false,
      dueDate: '2026-11-26',
    });
    // Overdue (due two days ago), it skips to its first occurrence from today on, as the server does when told today.
    expect(completedLocally({ ...base, dueDate: timed('2026-11-23T19:00'), recurrence: { every: 'day' } }, now).dueDate).toEqual(timed('2026-11-25T19:00'));
    expect(completedLocally({ ...base, dueDate: timed('2026-11-25T19:00'), recurrence: { every: 'day' } }, now).dueDate).toEqual(timed('2026-11-26T19:00'));
    // No occurrence left by `until`: it closes.
    expect(completedLocally({ ...base, dueDate: '2026-11-25', recurrence: { every: 'day', until: '2026-11-25' } }, now)).toMatchObject({
      done: true,
      dueDate: '2026-11-25',
      completedAt: now.toISOString(),
    });
    expect(completedLocally({ ...base, dueDate: '2026-11-25', recurrence: null }, now)).toMatchObject({ done: true });
    // A task from before repeating tasks has no `recurrence` at all.
    expect(completedLocally({ ...base, dueDate: '2026-11-25' }, now)).toMatchObject({ done: true });
    expect(recurrenceOf({})).toBeNull();
    expect(nextDueOnCompletion({ done: true, dueDate: '2026-11-25', recurrence: { every: 'day' } })).toBeNull();
  });

  it('says where it went, in the user’s words for a day', () => {
    expect(
      nextOccurrenceMessage(
        { title: 'Bins', done: false, dueDate: '2026-11-23', recurrence: { every: 'week', weekdays: ['mon', 'thu'] } },
        '2026-11-25',
        'en-US',
      ),
    ).toBe('“Bins” repeats. Next: Thu, Nov 26');
    expect(nextOccurrenceMessage({ title: 'Bins', done: false, dueDate: '2026-11-23', recurrence: null }, '2026-11-25')).toBeNull();
    expect(formatDueDay('2027-01-04', { today: '2026-11-25', locale: 'en-US' })).toBe('Mon, Jan 4, 2027');
    expect(formatDueDay(timed('2026-11-26T19:00'), { locale: 'en-US' })).toBe('Thu, Nov 26, 19:00');
    expect(sameDueDate(timed('2026-11-26T19:00'), timed('2026-11-26T19:00'))).toBe(true);
    expect(sameDueDate('2026-11-26', timed('2026-11-26T19:00'))).toBe(false);
    expect(sameDueDate(null, null)).toBe(true);
  });

  it('corrects what it said when the server’s answer has another date (someone completed that occurrence first)', () => {
    const answer = { title: 'Bins', done: false, dueDate: '2026-11-27' };
    expect(answeredOccurrenceMessage('2026-11-26', answer, '2026-11-25', 'en-US')).toBe('“Bins” repeats. Next: Fri, Nov 27');
    expect(answeredOccurrenceMessage('2026-11-27', answer, '2026-11-25', 'en-US')).toBeNull();
    expect(answeredOccurrenceMessage('2026-11-26', { ...answer, done: true }, '2026-11-25')).toBe('“Bins” is done.');
  });

  it('writes the end date and the next date as the app’s other dates, with the year when it is not this year’s', () => {
    expect(describeRule({ every: 'day', until: '2027-01-24' }, { today: '2026-11-25', locale: 'en-US' })).toBe('every day until Sun, Jan 24, 2027');
    expect(describeRule({ every: 'week', weekdays: ['mon', 'thu'], until: '2026-12-24' }, { today: '2026-11-25', locale: 'en-US' })).toBe(
      'every week on Mon, Thu until Thu, Dec 24',
    );
    expect(repeatHint({ every: 'year' }, '2027-11-25', '2026-11-25', 'en-US')).toBe('Repeats every year. Completing it moves it to Thu, Nov 25, 2027.');
    expect(repeatHint({ every: 'day', until: '2026-11-25' }, null, '2026-11-25', 'en-US')).toBe(
      'Repeats every day until Wed, Nov 25. No date is left: completing it closes it.',
    );
  });
});
