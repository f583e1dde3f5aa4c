/** Schemas of the billing API: meters, usage events, plans, subscriptions, invoices, test clocks, the pricing simulator. */
import { z } from 'zod';
import { aggregationTypes } from '../billing/aggregations.js';
import { codeSchema } from '../billing/codes.js';
import { currencyCodeSchema } from '../billing/money.js';
import { planSchema } from '../billing/plan.js';
import { idSchema, isoInstant, timeZoneSchema } from './common.js';

export { meterSchema as meterBody } from '../billing/plan.js';

export const meterView = z.object({
  code: z.string(),
  name: z.string(),
  aggregation: z.enum([...aggregationTypes, 'active_members']),
  property: z.string().nullable(),
  filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  builtIn: z.boolean(),
  /** How a built-in meter is measured. */
  description: z.string().nullable(),
});
export type MeterView = z.infer<typeof meterView>;

export const maxEventsPerBatch = 1000;

export const billingEventSchema = z.strictObject({
  /** Unique per workspace forever: sending it again is a duplicate, counted once. */
  id: z.string().min(1).max(255),
  workspaceId: z.string().min(1).max(64),
  meter: z.string().min(1).max(64),
  timestamp: isoInstant,
  value: z.union([z.string().max(64), z.number()]).optional(),
  properties: z.record(z.string().max(100), z.unknown()).optional(),
});
export type BillingEvent = z.infer<typeof billingEventSchema>;

export const ingestEventsBody = z.strictObject({ events: z.array(billingEventSchema).min(1).max(maxEventsPerBatch) });

export const eventRejectionCodes = [
  'unknown_workspace',
  'unknown_meter',
  'timestamp_out_of_window',
  /** Its time was billed by a subscription that has ended and whose last invoice is final: nothing will bill it. */
  'subscription_ended',
  'invalid_value',
  'missing_property',
  'invalid_properties',
] as const;
export type EventRejectionCode = (typeof eventRejectionCodes)[number];

export const ingestEventsResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ id: z.string(), code: z.enum(eventRejectionCodes), message: z.string() })),
});
export type IngestEventsResult = z.infer<typeof ingestEventsResult>;

/** A plan as the API takes it: the rating engine's plan, plus the active-member window of its fair billing. */
export const planBody = planSchema.extend({
  /** Days one action keeps a member active (Slack: 28). */
  activeMembersWindowDays: z.number().int().min(1).max(366).optional(),
});
export type PlanBody = z.infer<typeof planBody>;
export const planView = planBody.extend({ createdAt: z.string() });
export type PlanView = z.infer<typeof planView>;

export const subscriptionBody = z.strictObject({
  plan: codeSchema,
  startAt: isoInstant.optional(),
  anchor: z.enum(['calendar', 'anniversary']).optional(),
  timezone: timeZoneSchema.optional(),
  testClockId: idSchema.optional(),
});
export type SubscriptionBody = z.infer<typeof subscriptionBody>;

export const subscriptionView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  plan: z.string(),
  status: z.enum(['active', 'canceled']),
  anchor: z.enum(['calendar', 'anniversary']),
  timezone: z.string(),
  startAt: z.string(),
  trialEnd: z.string().nullable(),
  testClockId: z.string().nullable(),
  currentPeriodStart: z.string(),
  currentPeriodEnd: z.string(),
  cancelAtPeriodEnd: z.boolean(),
  endedAt: z.string().nullable(),
  phases: z.array(z.object({ plan: z.string(), startsAt: z.string(), endsAt: z.string().nullable(), trial: z.boolean() })),
});
export type SubscriptionView = z.infer<typeof subscriptionView>;
/** A workspace's subscription as a list: its latest, or none (so asking is not an error when there is none). */
export const subscriptionList = z.object({ items: z.array(subscriptionView).max(1), nextCursor: z.null() });

/** A rate between 0 and 1 as a decimal string, e.g. `"0.20"` for 20 %. */
export const taxRateString = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, { error: 'must be a decimal string between 0 and 1, such as "0.20"' });

export const billingSettingsBody = z.strictObject({ taxRate: taxRateString });
export const billingSettingsView = z.object({ workspaceId: z.string(), taxRate: z.string() });

/**
 * Money as the API returns it: a decimal string rounded to the currency's minor unit (`"12.50"`,
 * `"-3.00"`, `"1200"` in JPY; at most 4 decimals), with as many integer digits as the amount has. Unlike
 * a price (`moneyString`, 12 integer digits), an amount is not bounded: usage of up to 18 integer digits
 * an event, summed over a period and priced, runs past 20 digits (`"1009999999999999999363.70"`).
 */
export const amountView = z.string().regex(/^-?(0|[1-9]\d*)(\.\d{1,4})?$/);

export const invoiceLineView = z.object({
  id: z.string(),
  kind: z.string(),
  description: z.string(),
  meter: z.string().optional(),
  quantity: z.string(),
  unitAmount: z.string().optional(),
  amount: amountView,
});

export const creditNoteView = z.object({
  id: z.string(),
  number: z.string(),
  invoiceId: z.string(),
  currency: z.string(),
  amount: z.string(),
  tax: z.string(),
  total: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type CreditNoteView = z.infer<typeof creditNoteView>;

export const invoiceView = z.object({
  id: z.string(),
  number: z.string().nullable(),
  status: z.enum(['draft', 'finalized']),
  kind: z.enum(['closing', 'opening']),
  workspaceId: z.string(),
  subscriptionId: z.string(),
  periodStart: z.string(),
  /** Exclusive: the first instant after the period. */
  periodEnd: z.string(),
  /**
   * The subscription's IANA time zone, in which the period and the lines' days are cut: show the period
   * as its local days (`periodDays` in core/billing), never as the UTC dates of the instants above.
   */
  timezone: z.string(),
  currency: currencyCodeSchema,
  subtotal: z.string(),
  tax: z.string(),
  taxRate: z.string(),
  total: z.string(),
  /** Credit that did not fit on this invoice and moves to the next one. */
  unappliedCredit: z.string(),
  finalizedAt: z.string().nullable(),
  lines: z.array(invoiceLineView),
  creditNotes: z.array(creditNoteView),
});
export type InvoiceView = z.infer<typeof invoiceView>;

export const creditNoteBody = z.strictObject({
  /**
   * Amount before tax to credit, rounded to the currency's minor unit; tax is credited at the invoice's
   * rate. Bounded by what is left of the invoice (422 beyond), not by a fixed cap: invoices run past
   * 12 integer digits (see `amountView`), and one note credits any of them in full.
   */
  amount: z
    .string()
    .max(64)
    .regex(/^(0|[1-9]\d*)(\.\d{1,6})?$/, { error: 'must be a non-negative decimal string such as "6.50"' }),
  reason: z.string().trim().min(1).max(500),
});

export const usageView = z.object({
  workspaceId: z.string(),
  subscriptionId: z.string(),
  plan: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  asOf: z.string(),
  currency: z.string(),
  quantities: z.record(z.string(), z.string()),
  lines: z.array(invoiceLineView.omit({ id: true })),
  subtotal: z.string(),
  tax: z.string(),
  total: z.string(),
});
export type UsageView = z.infer<typeof usageView>;

export const traceEventView = z.object({
  source: z.enum(['event', 'activity']),
  id: z.string(),
  timestamp: z.string(),
  meter: z.string().optional(),
  value: z.string().nullable().optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  type: z.string().optional(),
  actorId: z.string().nullable().optional(),
});
export type TraceEventView = z.infer<typeof traceEventView>;

/**
 * Instants billing works with when a person picks them (a test clock's time, a simulation's range): years 2000
 * to 2099. Far beyond, the periods after them cannot be written as ISO instants (a clock at 9999-12-31 was
 * accepted, then subscribing answered 500), and nothing Listo billed or will bill soon lies outside.
 */
export const billingYears = { from: 2000, to: 2099 } as const;
const billingInstant = isoInstant.refine(
  (value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= billingYears.from && year <= billingYears.to;
  },
  { error: `must be in the years ${billingYears.from} to ${billingYears.to}` },
);

export const testClockBody = z.strictObject({ frozenTime: billingInstant });
export const testClockView = z.object({ id: z.string(), frozenTime: z.string() });

/**
 * The longest range the simulator replays: two years (a leap day included). Enough to compare yearly plans over a
 * full year next to the one before, or two years of monthly periods; each workspace costs a few milliseconds a year
 * and a plan, and a hundred years for three workspaces already took more than a second of the server's time.
 */
export const simulateMaxDays = 731;
export const simulateBody = z
  .strictObject({
    from: billingInstant,
    to: billingInstant,
    plans: z.array(codeSchema).min(1).max(20),
    workspaceIds: z.array(idSchema).min(1).max(10_000).optional(),
  })
  .refine((body) => Date.parse(body.from) < Date.parse(body.to), { path: ['to'], error: 'must be after from' })
  .refine((body) => Date.parse(body.to) - Date.parse(body.from) <= simulateMaxDays * 86_400_000, {
    path: ['to'],
    error: `must be at most ${simulateMaxDays} days (two years) after from`,
  });
export type SimulateBody = z.infer<typeof simulateBody>;

export const simulateResult = z.object({
  from: z.string(),
  to: z.string(),
  plans: z.array(
    z.object({
      plan: z.string(),
      currency: z.string(),
      /** Sum over workspaces of what the plan would have billed (before tax). */
      revenue: z.string(),
      workspaces: z.number().int(),
      /** Against what each workspace's current plan bills for the same time (same currency only). */
      distribution: z.object({ more: z.number().int(), less: z.number().int(), same: z.number().int(), notComparable: z.number().int() }),
    }),
  ),
  workspaces: z.array(
    z.object({
      workspaceId: z.string(),
      currentPlan: z.string().nullable(),
      current: z.object({ currency: z.string(), amount: z.string() }).nullable(),
      byPlan: z.record(z.string(), z.string()),
    }),
  ),
});
export type SimulateResult = z.infer<typeof simulateResult>;
