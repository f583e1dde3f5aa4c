/** The billing rating engine: pure functions the server bills with and the web app previews with. */
export { currencyCodeSchema, formatMoney, formatUnitAmount, minorUnits, moneyString, roundMoney, signedMoneyString } from './money.js';
export { codeSchema } from './codes.js';
export * from './charge-models/index.js';
export {
  aggregate,
  aggregationTypes,
  createAggregator,
  isCumulativeAggregation,
  readQuantity,
  usageEventSchema,
  type AggregationSpec,
  type AggregationType,
  type Aggregator,
  type FilterValue,
  type UsageEvent,
} from './aggregations.js';
export {
  activeMembersQuantity,
  defaultActivityWindowDays,
  type ActiveMembersInput,
  type ActiveMembersResult,
  type ActivityByMember,
} from './active-members.js';
export {
  billingIntervals,
  localDateOf,
  nextPeriod,
  periodContaining,
  periodLocalDates,
  periodsBetween,
  prorationFactor,
  subscriptionScheduleSchema,
  type BillingInterval,
  type BillingPeriod,
  type SubscriptionSchedule,
} from './periods.js';
export { describePeriodDays, periodDays, type PeriodDays } from './period-dates.js';
export { builtInMeterCodes, meterSchema, planSchema, type BuiltInMeterCode, type Meter, type Plan } from './plan.js';
export { extraLineSchema, rateInvoice, type ExtraLine, type InvoiceLine, type InvoiceLineKind, type RatedInvoice, type RateInvoiceInput } from './invoice.js';
export {
  composePeriodInvoice,
  cumulativeSlice,
  segmentLocalDates,
  segmentShare,
  type InvoiceSegment,
  type PeriodInvoice,
  type PeriodInvoiceInput,
  type PeriodInvoiceLine,
  type PeriodInvoiceLineKind,
} from './period-invoice.js';
