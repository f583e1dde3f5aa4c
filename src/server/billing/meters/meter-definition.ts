/** What every meter — built-in or defined by an administrator — tells the billing engine. */
import { Decimal } from '../../../core/billing/decimal.js';
import type { Kysely } from 'kysely';
import { numberLimits, quantityLimits, readQuantity, type AggregationType, type FilterValue } from '../../../core/billing/aggregations.js';
import type { BillingPeriod } from '../../../core/billing/periods.js';
import type { BillingEvent, EventRejectionCode } from '../../../core/schemas/billing.js';
import type { Database } from '../../db/schema.js';
import { countDistinctIngested, latestIngested, sumIngested } from '../usage.repository.js';

/** A slice of a billing period to measure: a whole period, or the part of it one plan was in force. */
export interface MeterContext {
  db: Kysely<Database>;
  workspaceId: string;
  period: BillingPeriod;
  from: string;
  to: string;
  /** Plan setting of fair billing (active members). */
  activeMembersWindowDays: number;
}

export interface EventReading {
  /** The event's value as stored: a plain decimal string (as `readEventValue` wrote it), or null without one. */
  value: string | null;
  /** Decimal string the meter sums or compares; null when it reads none. */
  measure: string | null;
  distinctKey: string | null;
  /** False when the meter's filter leaves the event out. */
  counted: boolean;
}

export interface EventRejection {
  rejection: EventRejectionCode;
  message: string;
}

export type EventCheck = EventReading | EventRejection;

const decimalRule = `a non-negative decimal such as "12.5", with at most ${quantityLimits.integerDigits} digits before the point and ${quantityLimits.fractionDigits} after, no exponent or spaces (as a JSON number: an integer up to ${numberLimits.maxInteger} or at most ${numberLimits.significantDigits} significant digits; send longer values as strings)`;

/**
 * The event's `value`, checked: a plain non-negative decimal within `quantityLimits`, as a normalized
 * decimal string (short by those bounds), or null when the event has none. Every meter reads its value
 * through this, so what is stored is always what was checked.
 */
export function readEventValue(event: BillingEvent): { value: string | null } | EventRejection {
  if (event.value === undefined) return { value: null };
  const quantity = readQuantity(event.value);
  if (!quantity || quantity.isNegative()) return { rejection: 'invalid_value', message: `value must be ${decimalRule}` };
  return { value: quantity.toFixed() };
}

/** What a line of the meter counted: ingested events from `eventsFrom`, and activity events when it reads the log. */
export interface TraceSource {
  eventsFrom: string;
  activity: { types: readonly string[] | null; from: string } | null;
}

export interface MeterDefinition {
  code: string;
  name: string;
  builtIn: boolean;
  /** How the quantity is computed, for people. */
  description: string | null;
  aggregation: AggregationType | 'active_members';
  property: string | null;
  filter: Readonly<Record<string, FilterValue>> | null;
  /** How an ingested event of this meter is read, or why it is refused. */
  readEvent(event: BillingEvent): EventCheck;
  /** Billed quantity of [from, to). */
  quantity(ctx: MeterContext): Promise<Decimal>;
  traceSource(ctx: MeterContext): TraceSource;
}

export interface AggregationMeterSpec {
  aggregation: AggregationType;
  property: string | null;
  filter: Readonly<Record<string, FilterValue>> | null;
}

/** A key that keeps `1` and `"1"` apart (as the core aggregation does). */
export function distinctKeyOf(raw: unknown): string | null {
  if (typeof raw === 'string') return `s:${raw}`;
  if (typeof raw === 'number' && Number.isFinite(raw)) return `n:${raw}`;
  if (typeof raw === 'boolean') return `b:${raw}`;
  return null;
}

/** Reads an event as an aggregation meter does; refuses what the aggregation could not use. */
export function readEventBySpec(spec: AggregationMeterSpec, event: BillingEvent): EventCheck {
  const read = readEventValue(event);
  if ('rejection' in read) return read;
  const { value } = read;
  const properties = event.properties ?? {};
  const counted = Object.entries(spec.filter ?? {}).every(([key, expected]) => properties[key] === expected);
  switch (spec.aggregation) {
    case 'count':
      return { value, measure: value, distinctKey: null, counted };
    case 'unique_count': {
      const key = distinctKeyOf(properties[spec.property ?? '']);
      if (key === null) return { rejection: 'missing_property', message: `properties.${spec.property} must be a string, number or boolean` };
      return { value, measure: value, distinctKey: key, counted };
    }
    case 'sum':
    case 'max':
    case 'latest': {
      if (spec.property === null) {
        if (value === null) return { rejection: 'invalid_value', message: 'value is required by this meter' };
        return { value, measure: value, distinctKey: null, counted };
      }
      const quantity = readQuantity(properties[spec.property]);
      if (!quantity) return { rejection: 'missing_property', message: `properties.${spec.property} must be ${decimalRule}` };
      if (quantity.isNegative()) return { rejection: 'invalid_value', message: `properties.${spec.property} must not be negative` };
      return { value, measure: quantity.toFixed(), distinctKey: null, counted };
    }
  }
}

/** Quantity of ingested events under an aggregation, from rollups where it can. */
export async function aggregateIngested(spec: AggregationMeterSpec, code: string, ctx: MeterContext): Promise<Decimal> {
  const range = { workspaceId: ctx.workspaceId, meter: code, from: ctx.from, to: ctx.to };
  switch (spec.aggregation) {
    case 'count':
      return new Decimal((await sumIngested(ctx.db, range)).events);
    case 'sum':
      return (await sumIngested(ctx.db, range)).sum;
    case 'max':
      return (await sumIngested(ctx.db, range)).max ?? new Decimal(0);
    case 'latest':
      return (await latestIngested(ctx.db, range)) ?? new Decimal(0);
    case 'unique_count':
      return new Decimal(await countDistinctIngested(ctx.db, range));
  }
}
