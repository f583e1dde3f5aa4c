import { describe, expect, it } from 'vitest';
import { dayNumberOf, isoDateOfDayNumber } from './local-dates.js';

describe('local dates', () => {
  it('numbers days of every year from 0001 to 9999, the first century included', () => {
    expect(dayNumberOf('1970-01-01')).toBe(0);
    expect(dayNumberOf('2026-03-29')).toBe(20_541);
    expect(dayNumberOf('0001-01-01')).toBe(-719_162);
    expect(dayNumberOf('0099-12-31')).toBe(dayNumberOf('0100-01-01') - 1);
    for (const date of ['0001-01-01', '0050-02-28', '0099-12-31', '0100-03-01', '1000-01-01', '1969-12-31', '2024-02-29', '9999-12-31']) {
      expect(isoDateOfDayNumber(dayNumberOf(date))).toBe(date);
    }
  });

  it('refuses impossible dates', () => {
    for (const date of ['2026-02-30', '0001-13-01', '0050-02-29', '2026-3-1', '']) expect(() => dayNumberOf(date)).toThrow(RangeError);
  });
});
