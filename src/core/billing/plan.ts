/** Schemas of plans and meters, as the API accepts them and the rating engine reads them. */
import { z } from 'zod';
import { aggregationTypes } from './aggregations.js';
import { chargeSchema } from './charge-models/index.js';
import { codeSchema } from './codes.js';
import { currencyCodeSchema, moneyString } from './money.js';
import { billingIntervals } from './periods.js';

/** Meters every workspace has. `active_members` is computed by `activeMembersQuantity`, the others by aggregation. */
export const builtInMeterCodes = ['active_members', 'tasks_created', 'tasks_completed', 'comments', 'storage_bytes'] as const;
export type BuiltInMeterCode = (typeof builtInMeterCodes)[number];

export const meterSchema = z
  .object({
    code: codeSchema,
    name: z.string().trim().min(1).max(100),
    aggregation: z.enum(aggregationTypes),
    /** Event property to sum, count distinct or compare; `sum`, `max` and `latest` read `value` without it. */
    property: z.string().min(1).max(100).optional(),
    /** Only events whose properties equal all of these count. */
    filter: z.record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .refine((meter) => meter.aggregation !== 'unique_count' || meter.property !== undefined, {
    path: ['property'],
    error: 'a unique_count meter needs the property whose distinct values it counts',
  });
export type Meter = z.infer<typeof meterSchema>;

export const planSchema = z.object({
  code: codeSchema,
  name: z.string().trim().min(1).max(100),
  interval: z.enum(billingIntervals),
  currency: currencyCodeSchema,
  /** Fixed fee of each period. */
  amount: moneyString,
  /** Whether the fixed fee is invoiced at the start of its period; usage is always invoiced after. */
  payInAdvance: z.boolean(),
  trialDays: z.number().int().min(0).max(3650).optional(),
  /** Minimum commitment per period: fixed fee plus usage, before tax and credits (Lago's plan minimum). */
  minimum: moneyString.optional(),
  charges: z
    .array(chargeSchema)
    .max(50)
    .refine((charges) => new Set(charges.map((charge) => charge.meter)).size === charges.length, {
      error: 'a plan prices each meter at most once',
    }),
});
export type Plan = z.infer<typeof planSchema>;
