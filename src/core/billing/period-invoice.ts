/**
 * Composes the invoice of one subscription period from its plan phases: a period can hold several
 * phases (a trial, then a plan, then an upgrade), each rated with its own plan over its own slice of
 * the period by `rateInvoice`. In-advance fixed fees are billed before their period (on the previous
 * invoice); a change during the period credits the unused days of what was billed in advance and
 * charges the remaining days of the new plan, both counted in local days like `prorationFactor`.
 * Negative lines (prorated credits, negative adjustments, credit carried forward) never take the
 * subtotal below zero; what does not fit is returned as `unappliedCredit` for the next invoice.
 */
import { Decimal } from './decimal.js';
import { formatQuantity, rateInvoice, totalInvoice, type ExtraLine, type InvoiceLineKind } from './invoice.js';
import { formatMoney, roundMoney } from './money.js';
import { localDateOf, periodLocalDates, prorationFactor, type BillingPeriod } from './periods.js';
import type { Plan } from './plan.js';
import { dayNumberOf } from './local-dates.js';

/** One phase of the subscription, clipped to the period. */
export interface InvoiceSegment {
  plan: Plan;
  /** First instant of the slice (ISO). */
  from: string;
  /** First instant after the slice (ISO). */
  to: string;
  /** Trial days bill nothing. */
  trial: boolean;
  /** Billed quantity of every meter the plan charges for, measured over [from, to) (cumulative meters: see `cumulativeSlice`). */
  quantities: Readonly<Record<string, Decimal>>;
  /**
   * Where this slice's tiers start, for meters measured cumulatively (`cumulativeSlice`). The others continue
   * from the sum of what earlier slices of the period billed.
   */
  billedBefore?: Readonly<Record<string, Decimal>>;
}

/**
 * A slice of a period for a meter whose quantities do not add up (`isCumulativeAggregation`): `before` is the
 * meter measured from the start of billing in the period to the slice's start, `through` to its end. The slice
 * bills what the period's quantity grew by (never less than nothing) and its tiers continue from `before`, so
 * a peak, a last value or a distinct user is billed once a period whatever the plan changes, and plans with
 * the same prices bill as if the plan had never changed.
 */
export function cumulativeSlice(before: Decimal, through: Decimal): { quantity: Decimal; billedBefore: Decimal } {
  return { quantity: Decimal.max(0, through.minus(before)), billedBefore: before };
}

export interface PeriodInvoiceInput {
  period: BillingPeriod;
  /** In order, not overlapping. */
  segments: readonly InvoiceSegment[];
  /**
   * The in-advance fixed fee billed for this period before it started (the plan in force at its
   * start and the share billed), or null when none was.
   */
  billedInAdvance: { plan: Plan; share: Decimal } | null;
  /** The next period's in-advance fee, when the subscription continues into it on an in-advance plan. */
  nextAdvance: { plan: Plan; period: BillingPeriod; share: Decimal } | null;
  /** Late usage of earlier periods (either sign) and credit carried forward (negative). */
  extraLines?: readonly ExtraLine[];
  currency: string;
  taxRate: Decimal;
  meterNames?: Readonly<Record<string, string>>;
}

export type PeriodInvoiceLineKind = InvoiceLineKind | 'proration';

export interface PeriodInvoiceLine {
  /** Stable for the same inputs: `usage:comments`, `phase2:usage:comments`, `proration:phase2`, `next:fixed_fee`, `extra:<key>`. */
  key: string;
  kind: PeriodInvoiceLineKind;
  description: string;
  meter?: string;
  quantity: string;
  unitAmount?: string;
  amount: string;
  /** Index of the segment the line rates, for tracing usage back to events. */
  segment?: number;
  /** What a negative line asked for before the subtotal floor; equal to `amount` when it fitted. */
  requestedAmount?: string;
}

export interface PeriodInvoice {
  currency: string;
  lines: PeriodInvoiceLine[];
  subtotal: string;
  tax: string;
  total: string;
  unappliedCredit: string;
}

/** Share of the period's fixed fee that [from, to) accounts for, in local days (the change's day goes to the later slice). */
export function segmentShare(period: BillingPeriod, from: string, to: string): Decimal {
  return prorationFactor(period, from).minus(prorationFactor(period, to));
}

/** The local dates a slice of a period bills: from `from`'s day, up to (not including) `to`'s day, or the period's last day. */
export function segmentLocalDates(period: BillingPeriod, from: string, to: string): string[] {
  const all = periodLocalDates(period);
  const first = dayNumberOf(localDateOf(from, period.timezone));
  const endDay = to >= period.end ? dayNumberOf(all.at(-1) as string) + 1 : dayNumberOf(localDateOf(to, period.timezone));
  return all.filter((date) => {
    const day = dayNumberOf(date);
    return day >= first && day < endDay;
  });
}

function describeDays(period: BillingPeriod, from: string, to: string): string {
  const dates = segmentLocalDates(period, from, to);
  if (dates.length === 0) return localDateOf(from, period.timezone);
  return `${dates[0]} to ${dates.at(-1)}`;
}

/** Pure and deterministic: the same inputs give the same lines, keys and amounts. */
export function composePeriodInvoice(input: PeriodInvoiceInput): PeriodInvoice {
  const { period, currency } = input;
  const charges: Array<Omit<PeriodInvoiceLine, 'amount'> & { amount: Decimal }> = [];
  const negatives: Array<Omit<PeriodInvoiceLine, 'amount'> & { amount: Decimal }> = [];
  const add = (line: Omit<PeriodInvoiceLine, 'amount'> & { amount: Decimal }) => (line.amount.isNegative() ? negatives : charges).push(line);
  // Usage billed so far in the period, per meter: a later plan's tiers continue from it, so switching
  // plans never grants a free tier (or a tier's flat fee) twice in one period. Trial usage is not billed.
  const billedBefore: Record<string, Decimal> = {};

  input.segments.forEach((segment, index) => {
    if (segment.plan.currency !== currency) throw new RangeError('Every phase of an invoice bills in the invoice currency');
    const prefix = index === 0 ? '' : `phase${index + 1}:`;
    const share = segmentShare(period, segment.from, segment.to);
    const isWholePeriod = segment.from <= period.start && segment.to >= period.end;
    if (segment.trial) return;
    const rated = rateInvoice({
      plan: segment.plan,
      period,
      quantities: segment.quantities,
      taxRate: new Decimal(0),
      proration: share,
      billedBefore: { ...billedBefore, ...segment.billedBefore },
      ...(input.meterNames && { meterNames: input.meterNames }),
    });
    for (const charge of segment.plan.charges) {
      const quantity = segment.quantities[charge.meter];
      if (quantity) billedBefore[charge.meter] = (billedBefore[charge.meter] ?? new Decimal(0)).plus(quantity);
    }
    for (const line of rated.lines) {
      if (line.kind === 'fixed_fee') {
        // In-advance fees are settled below; arrears fees are due now, for this slice's days.
        if (segment.plan.payInAdvance) continue;
        const description = isWholePeriod
          ? line.description
          : `${segment.plan.name} (${segment.plan.interval}ly fee, ${describeDays(period, segment.from, segment.to)}, prorated)`;
        add({ ...line, key: prefix + line.key, description, amount: new Decimal(line.amount), segment: index });
        continue;
      }
      add({ ...line, key: prefix + line.key, amount: new Decimal(line.amount), segment: index });
    }
  });

  // In-advance fees: what this period owes on in-advance plans, against what was billed before it started.
  input.segments.forEach((segment, index) => {
    if (segment.trial || !segment.plan.payInAdvance) return;
    const share = segmentShare(period, segment.from, segment.to);
    const due = roundMoney(new Decimal(segment.plan.amount).times(share), currency);
    const billedHere = index === 0 && segment.from <= period.start && input.billedInAdvance?.plan.code === segment.plan.code;
    if (billedHere && input.billedInAdvance) {
      const billed = roundMoney(new Decimal(input.billedInAdvance.plan.amount).times(input.billedInAdvance.share), currency);
      const difference = due.minus(billed);
      if (difference.isZero()) return;
      const unusedFrom = localDateOf(segment.to, period.timezone);
      add({
        key: 'proration:unused',
        kind: 'proration',
        description: difference.isNegative()
          ? `Unused time on ${segment.plan.name} from ${unusedFrom} (billed in advance)`
          : `Additional time on ${segment.plan.name}`,
        quantity: formatQuantity(share.minus(input.billedInAdvance.share).abs()),
        unitAmount: formatMoney(segment.plan.amount, currency),
        amount: difference,
        segment: index,
      });
      return;
    }
    if (due.isZero()) return;
    add({
      key: `proration:phase${index + 1}`,
      kind: 'proration',
      description: `Remaining time on ${segment.plan.name} (${describeDays(period, segment.from, segment.to)})`,
      quantity: formatQuantity(share),
      unitAmount: formatMoney(segment.plan.amount, currency),
      amount: due,
      segment: index,
    });
  });
  // Billed in advance for a plan that was never in force this period (changed before it began): credit it all.
  const first = input.segments[0];
  if (
    input.billedInAdvance &&
    !(first && !first.trial && first.from <= period.start && first.plan.payInAdvance && first.plan.code === input.billedInAdvance.plan.code)
  ) {
    const billed = roundMoney(new Decimal(input.billedInAdvance.plan.amount).times(input.billedInAdvance.share), currency);
    if (!billed.isZero()) {
      add({
        key: 'proration:unused',
        kind: 'proration',
        description: `Unused time on ${input.billedInAdvance.plan.name} (billed in advance)`,
        quantity: formatQuantity(input.billedInAdvance.share),
        unitAmount: formatMoney(input.billedInAdvance.plan.amount, currency),
        amount: billed.negated(),
      });
    }
  }

  if (input.nextAdvance) {
    const { plan, period: next, share } = input.nextAdvance;
    const amount = roundMoney(new Decimal(plan.amount).times(share), currency);
    if (!amount.isZero()) {
      const dates = periodLocalDates(next);
      add({
        key: 'next:fixed_fee',
        kind: 'fixed_fee',
        description: `${plan.name} (${plan.interval}ly fee in advance, ${dates[0]} to ${dates.at(-1)}${share.eq(1) ? '' : ', prorated'})`,
        quantity: formatQuantity(share),
        unitAmount: formatMoney(plan.amount, currency),
        amount,
      });
    }
  }

  for (const extra of input.extraLines ?? []) {
    add({ key: `extra:${extra.key}`, kind: extra.kind, description: extra.description, quantity: '1', amount: roundMoney(extra.amount, currency) });
  }

  // Negative lines last, each taking the subtotal down to zero at most.
  let subtotal = charges.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
  let unappliedCredit = new Decimal(0);
  const lines = [...charges];
  for (const line of negatives) {
    const applied = Decimal.max(line.amount, subtotal.negated());
    unappliedCredit = unappliedCredit.plus(applied.minus(line.amount));
    subtotal = subtotal.plus(applied);
    lines.push({ ...line, amount: roundMoney(applied, currency), requestedAmount: formatMoney(line.amount, currency) });
  }
  return totalInvoice(currency, lines, subtotal, input.taxRate, unappliedCredit);
}
