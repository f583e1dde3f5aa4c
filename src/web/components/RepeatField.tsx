import { useId, useRef, useState } from 'react';
import { weekdays, type Recurrence, type Weekday } from '../../core/recurrence.js';
import type { DueDate } from '../../core/schemas/index.js';
import { localDateString } from '../lib/due-dates.js';
import {
  describeRule,
  draftOf,
  nextDueOnCompletion,
  presetOf,
  repeatHint,
  ruleOfDraft,
  ruleOfPreset,
  weekdayOf,
  type CustomRepeatDraft,
  type RepeatPreset,
} from '../lib/repeat-rules.js';

const unitNames: Record<Recurrence['every'], [one: string, many: string]> = {
  day: ['day', 'days'],
  week: ['week', 'weeks'],
  month: ['month', 'months'],
  year: ['year', 'years'],
};
const dayNames: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const longDayNames: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/**
 * A task's Repeat control in its details: None, Every day, Every weekday, Every week, Every month, Every year, or
 * Custom… (every n days, weeks on chosen days, months or years, up to an optional end date). A rule moves the due
 * date on, so the control waits for a due date. `onChange` goes through the list's write queue like any task edit.
 */
export function RepeatField(props: {
  rule: Recurrence | null;
  dueDate: DueDate | null;
  done: boolean;
  canEdit: boolean;
  onChange: (rule: Recurrence | null) => void;
}) {
  const { rule, dueDate, canEdit } = props;
  const id = useId();
  const hintId = useId();
  const [draft, setDraft] = useState<CustomRepeatDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  const preset = draft ? 'custom' : presetOf(rule, dueDate);
  const next = nextDueOnCompletion({ done: props.done, dueDate, recurrence: rule });
  // Dates in another year than today's say their year.
  const today = localDateString(new Date());

  function choose(value: RepeatPreset) {
    setError(null);
    if (value === 'custom') {
      setDraft(draftOf(rule, dueDate));
      return;
    }
    setDraft(null);
    const chosen = ruleOfPreset(value);
    if (JSON.stringify(chosen) !== JSON.stringify(rule)) props.onChange(chosen);
  }

  function saveDraft() {
    if (!draft) return;
    const result = ruleOfDraft(draft, dueDate);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    closeDraft();
    if (JSON.stringify(result.rule) !== JSON.stringify(rule)) props.onChange(result.rule);
  }

  /** The Custom… form goes, with the button that had the focus: the Repeat menu takes it, not the page's <body>. */
  function closeDraft() {
    setDraft(null);
    setError(null);
    select.current?.focus();
  }

  if (!canEdit) {
    return rule ? <p className="details-field details-repeat-readonly">Repeats {describeRule(rule, { today })}</p> : null;
  }

  const dueWeekday = dueDate ? longDayNames[weekdayOf(typeof dueDate === 'string' ? dueDate : dueDate.dateTime.slice(0, 10))] : null;
  const noDue = dueDate === null;
  return (
    <div className="details-field repeat-field">
      <label htmlFor={id}>Repeat</label>
      <select
        ref={select}
        id={id}
        className="select"
        value={noDue ? 'none' : preset}
        disabled={noDue}
        aria-describedby={hintId}
        onChange={(event) => choose(event.target.value as RepeatPreset)}
      >
        <option value="none">Does not repeat</option>
        <option value="day">Every day</option>
        <option value="weekday">Every weekday (Mon–Fri)</option>
        <option value="week">{dueWeekday ? `Every week on ${dueWeekday}` : 'Every week'}</option>
        <option value="month">Every month</option>
        <option value="year">Every year</option>
        <option value="custom">Custom…</option>
      </select>
      <p id={hintId} className="repeat-hint">
        {noDue ? 'Give the task a due date to make it repeat.' : rule && !draft ? repeatHint(rule, next, today) : ''}
      </p>
      {draft && !noDue ? (
        <fieldset className="repeat-custom">
          <legend className="visually-hidden">Custom repeat</legend>
          <div className="repeat-custom-row">
            <label htmlFor={`${id}-interval`}>Every</label>
            <input
              id={`${id}-interval`}
              className="text-input repeat-interval"
              type="number"
              inputMode="numeric"
              min={1}
              max={999}
              value={draft.interval}
              onChange={(event) => setDraft({ ...draft, interval: event.target.value })}
            />
            <select
              className="select"
              aria-label="Unit"
              value={draft.every}
              onChange={(event) => setDraft({ ...draft, every: event.target.value as Recurrence['every'] })}
            >
              {(Object.keys(unitNames) as Recurrence['every'][]).map((unit) => (
                <option key={unit} value={unit}>
                  {unitNames[unit][draft.interval.trim() === '1' ? 0 : 1]}
                </option>
              ))}
            </select>
          </div>
          {draft.every === 'week' ? (
            <fieldset className="repeat-weekdays">
              <legend>On</legend>
              {weekdays.map((day) => (
                <label key={day} className="repeat-weekday">
                  <input
                    type="checkbox"
                    checked={draft.weekdays.includes(day)}
                    aria-label={longDayNames[day]}
                    onChange={(event) =>
                      setDraft({ ...draft, weekdays: event.target.checked ? [...draft.weekdays, day] : draft.weekdays.filter((other) => other !== day) })
                    }
                  />
                  <span aria-hidden="true">{dayNames[day]}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          <div className="repeat-custom-row">
            <label htmlFor={`${id}-until`}>Ends</label>
            <input
              id={`${id}-until`}
              className="text-input"
              type="date"
              value={draft.until}
              aria-describedby={`${id}-until-hint`}
              onChange={(event) => setDraft({ ...draft, until: event.target.value })}
            />
            <span id={`${id}-until-hint`} className="repeat-hint">
              {draft.until ? '' : 'Never'}
            </span>
          </div>
          {error ? (
            <p className="repeat-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="repeat-custom-row">
            <button type="button" className="button button-small button-primary" onClick={saveDraft}>
              Save repeat
            </button>
            <button type="button" className="button button-small" onClick={closeDraft}>
              Cancel
            </button>
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}
