import { describe, expect, it } from 'vitest';
import { dateInputToIso, distributionSentence, formatPeriod, formatQuantity, meterLabel, moneyLabel, parsePlanJson, planTemplate } from './billing-format.js';
import { billingPath, billingViewOf } from './billing-route.js';
import { describePeriodDays, periodDays } from '../../core/billing/period-dates.js';

describe('formatting', () => {
  it('shows money exactly as given, with its currency', () => {
    expect(moneyLabel('1234567890.10', 'EUR')).toBe('1234567890.10 EUR');
    expect(moneyLabel('-3.00', 'USD')).toBe('-3.00 USD');
  });
  it('groups thousands without converting to a float', () => {
    expect(formatQuantity('tasks_created', '1234567')).toBe('1,234,567');
    expect(formatQuantity('tasks_created', '12345678901234567890.123456')).toBe('12,345,678,901,234,567,890.123456');
    expect(formatQuantity('active_members', '3.5')).toBe('3.5');
  });
  it('shows storage in binary units', () => {
    expect(formatQuantity('storage_bytes', '512')).toBe('512');
    expect(formatQuantity('storage_bytes', '1536')).toBe('1.5 KB');
    expect(formatQuantity('storage_bytes', String(3 * 1024 ** 3))).toBe('3 GB');
  });
  it('converts storage near 1e18 bytes exactly before rounding to one decimal', () => {
    // 909494.049999999999999… TB: decimal.js's default 20 digits rounded the quotient to 909494.05 first, shown as 909494.1 TB.
    expect(formatQuantity('storage_bytes', '999999283368086732.799999999999')).toBe('909494 TB');
    expect(formatQuantity('storage_bytes', '549755868863581388.799999999999')).toBe('500000 TB');
  });
  it('names meters', () => {
    expect(meterLabel('tasks_created')).toBe('Tasks created');
    expect(meterLabel('api-calls')).toBe('Api calls');
  });
  it('shows a period with its last day inclusive, in the subscription’s zone', () => {
    expect(formatPeriod('2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 'UTC')).toBe('Mar 1, 2026 – Mar 31, 2026');
    expect(formatPeriod('2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 'Europe/Paris')).toBe('Mar 1, 2026 – Mar 31, 2026');
    // The same instants read in UTC are another period: the zone is what names the days.
    expect(formatPeriod('2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 'UTC')).toBe('Feb 28, 2026 – Mar 30, 2026');
  });
  it('names the days the invoice lines and the printable invoice name, anniversary periods included', () => {
    // Jan 31 14:37 to Feb 28 14:37 in Los Angeles: the lines bill Jan 31 to Feb 27 (the end's day is the next period's).
    const [start, end, zone] = ['2026-01-31T22:37:00.000Z', '2026-02-28T22:37:00.000Z', 'America/Los_Angeles'];
    expect(describePeriodDays(periodDays(start, end, zone))).toBe('2026-01-31 to 2026-02-27 (America/Los_Angeles)');
    expect(formatPeriod(start, end, zone)).toBe('Jan 31, 2026 – Feb 27, 2026');
  });
  it('says how many pay more or less', () => {
    expect(distributionSentence({ more: 2, less: 1, same: 0, notComparable: 0 })).toBe('2 pay more, 1 pays less, 0 pay the same than today');
    expect(distributionSentence({ more: 0, less: 0, same: 1, notComparable: 3 })).toBe('0 pay more, 0 pay less, 1 pays the same, 3 not comparable than today');
  });
  it('turns date inputs into midnight UTC', () => {
    expect(dateInputToIso('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(dateInputToIso('')).toBeNull();
    expect(dateInputToIso('2026-13-45')).toBeNull();
  });
});

describe('parsePlanJson', () => {
  it('accepts the template', () => {
    const parsed = parsePlanJson(planTemplate);
    expect(parsed.ok).toBe(true);
  });
  it('reports invalid JSON', () => {
    const parsed = parsePlanJson('{ nope');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]?.field).toBe('(json)');
  });
  it('reports field errors with dotted paths, as the API does', () => {
    const plan = JSON.parse(planTemplate) as Record<string, unknown>;
    const parsed = parsePlanJson(
      JSON.stringify({ ...plan, code: 'Bad Code', amount: 10, charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '-1' }] }),
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((error) => error.field).sort()).toEqual(['amount', 'charges.0.unitAmount', 'code']);
  });
});

describe('billing routes', () => {
  it('maps paths to views and back', () => {
    expect(billingViewOf('/billing')).toBe('workspace');
    expect(billingViewOf('/billing/')).toBe('workspace');
    expect(billingViewOf('/billing/plans')).toBe('plans');
    expect(billingViewOf('/billing/simulator')).toBe('simulator');
    expect(billingViewOf('/billing/other')).toBeNull();
    expect(billingViewOf('/lists/x')).toBeNull();
    for (const view of ['workspace', 'plans', 'simulator'] as const) expect(billingViewOf(billingPath(view))).toBe(view);
  });
});
