/** Formatting and form parsing for the billing pages; pure, so the unit tests cover them. */
import { Decimal } from '../../core/billing/decimal.js';
import type { z } from 'zod';
import { periodDays, type PeriodDays } from '../../core/billing/period-dates.js';
import { planBody, type PlanBody } from '../../core/schemas/billing.js';

/** Money exactly as the API gave it, with its currency: `"12.50 EUR"`. */
export function moneyLabel(amount: string, currency: string): string {
  return `${amount} ${currency}`;
}

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'];

/**
 * A meter's quantity for people: thousands grouped (`"12 345"` stays exact: digits are regrouped, not
 * converted), and `storage_bytes` in binary units with one decimal.
 */
export function formatQuantity(meter: string, quantity: string): string {
  let value: Decimal;
  try {
    value = new Decimal(quantity);
  } catch {
    return quantity;
  }
  if (meter === 'storage_bytes' && value.gte(1024)) {
    let unit = 0;
    while (value.gte(1024) && unit < byteUnits.length - 1) {
      value = value.div(1024);
      unit++;
    }
    return `${value.toDecimalPlaces(1).toString()} ${byteUnits[unit]}`;
  }
  const [integer = '', fraction] = quantity.split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** A meter code as a label: `tasks_created` → `Tasks created`. */
export function meterLabel(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A UTC instant as a date in the given zone, e.g. `Mar 1, 2026`. */
export function formatDate(instant: string, timeZone = 'UTC'): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone }).format(date);
}

/** A calendar date (`2026-03-31`) as `Mar 31, 2026`, whatever the browser's own zone. */
function formatLocalDate(date: string): string {
  return formatDate(`${date}T00:00:00.000Z`, 'UTC');
}

/**
 * The period `[start, end)` of a subscription billing in `timeZone`, as `Mar 1, 2026 – Mar 31, 2026`: the
 * local days it bills, by the rule the invoice lines and the printable invoice follow (`periodDays`), so
 * March in Paris (Feb 28 23:00 UTC to Mar 31 22:00 UTC) reads March 1 to 31 there as here.
 */
export function formatPeriod(start: string, end: string, timeZone: string): string {
  let days: PeriodDays;
  try {
    days = periodDays(start, end, timeZone);
  } catch {
    return `${start} – ${end}`;
  }
  return `${formatLocalDate(days.first)} – ${formatLocalDate(days.last)}`;
}

/** A `<input type="date">` value (`2026-03-01`) as the instant the simulator takes: midnight UTC. */
export function dateInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const instant = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

/** An instant as a `<input type="date">` value, in UTC. */
export function isoToDateInput(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Zod issues as field errors, with the dotted path the API also uses (`charges.0.unitAmount`). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(plan)', message: issue.message }));
}

/** The create-plan textarea: JSON, then the shared plan schema. */
export function parsePlanJson(text: string): { ok: true; plan: PlanBody } | { ok: false; errors: FieldProblem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ field: '(json)', message: error instanceof Error ? error.message : 'not valid JSON' }] };
  }
  const parsed = planBody.safeParse(json);
  return parsed.success ? { ok: true, plan: parsed.data } : { ok: false, errors: fieldProblems(parsed.error) };
}

/** The plan the create form starts from. */
export const planTemplate = JSON.stringify(
  {
    code: 'team-monthly',
    name: 'Team monthly',
    interval: 'month',
    currency: 'EUR',
    amount: '10.00',
    payInAdvance: false,
    charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.10' }],
  },
  null,
  2,
);

/** The simulator's distribution as a sentence: `2 pay more, 1 pays less, 0 the same than today`. */
export function distributionSentence(distribution: { more: number; less: number; same: number; notComparable: number }): string {
  const verb = (count: number) => (count === 1 ? 'pays' : 'pay');
  const parts = [
    `${distribution.more} ${verb(distribution.more)} more`,
    `${distribution.less} ${verb(distribution.less)} less`,
    `${distribution.same} ${verb(distribution.same)} the same`,
  ];
  if (distribution.notComparable > 0) parts.push(`${distribution.notComparable} not comparable`);
  return `${parts.join(', ')} than today`;
}
