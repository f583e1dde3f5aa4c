/**
 * How a meter turns usage events into a quantity: incremental reducers, so the server can fold
 * events in batches (or stream them) without holding them all.
 */
import { Decimal } from './decimal.js';
import { z } from 'zod';
import { isoInstant } from '../schemas/common.js';

export const aggregationTypes = ['count', 'sum', 'unique_count', 'max', 'latest'] as const;
export type AggregationType = (typeof aggregationTypes)[number];

/**
 * Aggregations whose quantity over a period is not the sum of its slices' (a peak, a last value, distinct
 * values): a slice of a period is measured from the start of billing in the period (see `cumulativeSlice`).
 */
export const isCumulativeAggregation = (aggregation: string): boolean => aggregation === 'max' || aggregation === 'latest' || aggregation === 'unique_count';

export const usageEventSchema = z.object({
  id: z.string().min(1).max(255),
  timestamp: isoInstant,
  value: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

export type FilterValue = string | number | boolean;

/** What a meter says about aggregation; a meter definition satisfies it. */
export interface AggregationSpec {
  aggregation: AggregationType;
  /** Event property to sum, count distinct, or compare; without it `sum`, `max` and `latest` read `value`. */
  property?: string | undefined;
  /** Only events whose properties equal every one of these values (`===`) count. */
  filter?: Readonly<Record<string, FilterValue>> | undefined;
}

/**
 * A fold over events. `add` returns the next state and may update the one it is given in place
 * (a distinct count keeps one growing set), so never reuse a state after passing it to `add`.
 */
export interface Aggregator<State> {
  init(): State;
  add(state: State, event: UsageEvent): State;
  result(state: State): Decimal;
}

/**
 * How precise a measure may be: at most 18 integer and 12 fraction digits. Amounts are capped at
 * 12 integer digits, so this is ample, and it keeps every measure a short exact decimal string
 * (an exponent such as "1e9000000000000000" would expand to more digits than memory holds).
 */
export const quantityLimits = { integerDigits: 18, fractionDigits: 12 } as const;

/**
 * How precise a JSON number may be: a number is a double, which holds any integer up to 2^53 − 1 and
 * any decimal of 15 significant digits exactly. Beyond that the number parsed is not the one sent
 * (123456789012345678 reads as 123456789012345680), so such values must come as decimal strings.
 */
export const numberLimits = { significantDigits: 15, maxInteger: Number.MAX_SAFE_INTEGER } as const;

/** A plain decimal: optional minus, digits, optional fraction; no exponent, no spaces, no `+`. */
const plainDecimalPattern = new RegExp(`^-?\\d{1,${quantityLimits.integerDigits}}(\\.\\d{1,${quantityLimits.fractionDigits}})?$`);

/**
 * The event's measure as a decimal, or undefined when it has none or it is not a plain decimal
 * within `quantityLimits` (a string like "12.5", exponents refused; or a number within `numberLimits`).
 * Such events are skipped rather than failing a whole invoice; ingestion is where to reject them.
 */
export function readQuantity(raw: unknown): Decimal | undefined {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || Math.abs(raw) > numberLimits.maxInteger) return undefined;
    const quantity = new Decimal(raw);
    const exact = Number.isInteger(raw) || quantity.precision() <= numberLimits.significantDigits;
    return exact && quantity.decimalPlaces() <= quantityLimits.fractionDigits ? quantity : undefined;
  }
  if (typeof raw === 'string' && plainDecimalPattern.test(raw)) return new Decimal(raw);
  return undefined;
}

function measureOf(event: UsageEvent, property: string | undefined): unknown {
  return property === undefined ? event.value : event.properties?.[property];
}

/** A key that keeps `1` and `"1"` apart, as the filter's strict equality does. */
function distinctKey(raw: unknown): string | undefined {
  if (typeof raw === 'string') return `s:${raw}`;
  if (typeof raw === 'number' && Number.isFinite(raw)) return `n:${raw}`;
  if (typeof raw === 'boolean') return `b:${raw}`;
  return undefined;
}

interface LatestState {
  at: number;
  id: string;
  quantity: Decimal;
}

function isLaterThan(at: number, id: string, current: LatestState | undefined): boolean {
  if (current === undefined) return true;
  // Same instant: the greater id wins, so the result does not depend on the order events are read in.
  return at > current.at || (at === current.at && id > current.id);
}

/** One reducer per aggregation type. */
const aggregators = {
  count: (): Aggregator<Decimal> => ({
    init: () => new Decimal(0),
    add: (count) => count.plus(1),
    result: (count) => count,
  }),
  sum: (property?: string): Aggregator<Decimal> => ({
    init: () => new Decimal(0),
    add: (sum, event) => {
      const quantity = readQuantity(measureOf(event, property));
      return quantity ? sum.plus(quantity) : sum;
    },
    result: (sum) => sum,
  }),
  unique_count: (property?: string): Aggregator<Set<string>> => {
    if (property === undefined) throw new RangeError('A unique_count meter needs a property to count distinct values of');
    return {
      init: () => new Set<string>(),
      add: (seen, event) => {
        const key = distinctKey(measureOf(event, property));
        if (key !== undefined) seen.add(key);
        return seen;
      },
      result: (seen) => new Decimal(seen.size),
    };
  },
  max: (property?: string): Aggregator<Decimal | undefined> => ({
    init: () => undefined,
    add: (max, event) => {
      const quantity = readQuantity(measureOf(event, property));
      if (!quantity) return max;
      return max === undefined || quantity.gt(max) ? quantity : max;
    },
    result: (max) => max ?? new Decimal(0),
  }),
  latest: (property?: string): Aggregator<LatestState | undefined> => ({
    init: () => undefined,
    add: (latest, event) => {
      const quantity = readQuantity(measureOf(event, property));
      const at = Date.parse(event.timestamp);
      if (!quantity || Number.isNaN(at)) return latest;
      return isLaterThan(at, event.id, latest) ? { at, id: event.id, quantity } : latest;
    },
    result: (latest) => latest?.quantity ?? new Decimal(0),
  }),
} satisfies { [Type in AggregationType]: (property?: string) => Aggregator<unknown> };

/**
 * The reducer of a meter, with its filter applied. Its state is opaque: only pass it back to the
 * same aggregator. Throws RangeError for a `unique_count` without a property.
 */
export function createAggregator(spec: AggregationSpec): Aggregator<unknown> {
  const aggregator = aggregators[spec.aggregation](spec.property) as Aggregator<unknown>;
  const conditions = Object.entries(spec.filter ?? {});
  if (conditions.length === 0) return aggregator;
  return {
    init: aggregator.init,
    add: (state, event) => (conditions.every(([key, expected]) => event.properties?.[key] === expected) ? aggregator.add(state, event) : state),
    result: aggregator.result,
  };
}

/** Folds all `events` with the meter's aggregation: the billed quantity of the events given. */
export function aggregate(spec: AggregationSpec, events: Iterable<UsageEvent>): Decimal {
  const aggregator = createAggregator(spec);
  let state = aggregator.init();
  for (const event of events) state = aggregator.add(state, event);
  return aggregator.result(state);
}
