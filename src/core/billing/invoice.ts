/**
 * Rates one billing period of a plan into invoice lines. Each line is rounded once, half-up to the
 * currency's minor unit; the subtotal is the exact sum of the lines, so they always add up.
 *
 * Minimums follow Lago:
 * - `charge.minimum` is a charge's spending minimum: when the charge costs less, a true-up line
 *   right after it makes up the difference;
 * - `plan.minimum` is the plan's minimum commitment: it applies to everything the plan itself bills
 *   in the period (fixed fee, usage, charge true-ups), before tax and before adjustments and credits;
 *   when that falls short, a "Minimum spend top-up" line makes up the difference.
 * Both minimums are prorated with the fixed fee, as Lago prorates them by days used.
 */
import { Decimal } from './decimal.js';
import { z } from 'zod';
import { rateCharge, type Rating } from './charge-models/index.js';
import { formatMoney, formatUnitAmount, roundMoney, signedMoneyString } from './money.js';
import { type BillingPeriod, periodLocalDates } from './periods.js';
import type { Plan } from './plan.js';

/** A line the caller adds after rating: an adjustment (either sign) or a credit (zero or negative). */
export const extraLineSchema = z
  .object({
    key: z.string().min(1).max(100),
    kind: z.enum(['adjustment', 'credit']),
    description: z.string().trim().min(1).max(500),
    amount: signedMoneyString,
  })
  .refine((line) => line.kind !== 'credit' || !new Decimal(line.amount).gt(0), {
    path: ['amount'],
    error: 'a credit is zero or negative',
  });
export type ExtraLine = z.infer<typeof extraLineSchema>;

export type InvoiceLineKind = 'fixed_fee' | 'usage' | 'charge_minimum' | 'minimum_commitment' | 'adjustment' | 'credit';

export interface InvoiceLine {
  /** Stable within an invoice: `fixed_fee`, `usage:<meter>`, `minimum:<meter>`, `minimum_commitment`, `extra:<key>`. */
  key: string;
  kind: InvoiceLineKind;
  description: string;
  meter?: string;
  /** Up to 6 decimals; active members are fractional (20/30 of a seat). */
  quantity: string;
  /** Present when the amount is simply quantity × unit amount. */
  unitAmount?: string;
  amount: string;
}

export interface RatedInvoice {
  currency: string;
  lines: InvoiceLine[];
  subtotal: string;
  tax: string;
  total: string;
  /** Credit that did not fit: negative lines never take the subtotal below zero; carry this forward. */
  unappliedCredit: string;
}

export interface RateInvoiceInput {
  plan: Plan;
  period: BillingPeriod;
  /** Billed quantity of every meter the plan charges for. */
  quantities: Readonly<Record<string, Decimal>>;
  /**
   * Usage of each meter already billed earlier in the same period, under earlier plans: tiers, free
   * units and packages continue from it rather than start again (a free tier is granted once a period).
   */
  billedBefore?: Readonly<Record<string, Decimal>>;
  /** e.g. 0.20 for 20 % VAT. */
  taxRate: Decimal;
  /** Share of the fixed fee (and minimums) due, from `prorationFactor`; 1 when absent. */
  proration?: Decimal;
  extraLines?: readonly ExtraLine[];
  /** Display names of meters for line descriptions; the code is used when absent. */
  meterNames?: Readonly<Record<string, string>>;
}

const quantityDecimals = 6;

/** A quantity (or share) as shown on a line: up to 6 decimals, half-up. */
export function formatQuantity(quantity: Decimal): string {
  return quantity.toDecimalPlaces(quantityDecimals, Decimal.ROUND_HALF_UP).toFixed();
}

/**
 * Rates a period of `plan`: fixed fee, one line per charge, minimum true-ups, then the extra lines.
 * Pure and deterministic; throws RangeError when a charged meter has no quantity or an input is out of range.
 */
export function rateInvoice(input: RateInvoiceInput): RatedInvoice {
  const { plan, period, taxRate } = input;
  const currency = plan.currency;
  const proration = input.proration ?? new Decimal(1);
  if (proration.lt(0) || proration.gt(1)) throw new RangeError('proration must be between 0 and 1');
  if (taxRate.lt(0)) throw new RangeError('taxRate cannot be negative');

  const lines: Array<Omit<InvoiceLine, 'amount'> & { amount: Decimal }> = [];
  const sumOfLines = () => lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
  const proratedMinimum = (minimum: string) => roundMoney(new Decimal(minimum).times(proration), currency);

  if (new Decimal(plan.amount).gt(0)) {
    const dates = periodLocalDates(period);
    lines.push({
      key: 'fixed_fee',
      kind: 'fixed_fee',
      description: `${plan.name} (${plan.interval}ly fee, ${dates[0]} to ${dates.at(-1)}${proration.eq(1) ? '' : ', prorated'})`,
      quantity: formatQuantity(proration),
      unitAmount: formatMoney(plan.amount, currency),
      amount: roundMoney(new Decimal(plan.amount).times(proration), currency),
    });
  }

  for (const charge of plan.charges) {
    const quantity = input.quantities[charge.meter];
    if (quantity === undefined) throw new RangeError(`No quantity for the meter ${charge.meter}`);
    const meterName = input.meterNames?.[charge.meter] ?? charge.meter;
    const rating = rateCharge(charge, quantity, input.billedBefore?.[charge.meter]);
    const amount = roundMoney(rating.amount, currency);
    const unitAmount = singleUnitAmount(rating, quantity);
    lines.push({
      key: `usage:${charge.meter}`,
      kind: 'usage',
      description: `${meterName} — ${describeRating(rating, currency)}`,
      meter: charge.meter,
      quantity: formatQuantity(quantity),
      ...(unitAmount && { unitAmount: formatUnitAmount(unitAmount, currency) }),
      amount,
    });
    const chargeShortfall = charge.minimum === undefined ? undefined : proratedMinimum(charge.minimum).minus(amount);
    if (chargeShortfall?.gt(0)) {
      lines.push({
        key: `minimum:${charge.meter}`,
        kind: 'charge_minimum',
        description: `Minimum spend top-up: ${meterName}`,
        meter: charge.meter,
        quantity: '1',
        amount: chargeShortfall,
      });
    }
  }

  if (plan.minimum !== undefined) {
    const shortfall = proratedMinimum(plan.minimum).minus(sumOfLines());
    if (shortfall.gt(0)) {
      lines.push({ key: 'minimum_commitment', kind: 'minimum_commitment', description: 'Minimum spend top-up', quantity: '1', amount: shortfall });
    }
  }

  let unappliedCredit = new Decimal(0);
  for (const extra of input.extraLines ?? []) {
    const requested = roundMoney(extra.amount, currency);
    // A negative line takes the subtotal down to zero at most; the rest is carried forward.
    const applied = Decimal.max(requested, sumOfLines().negated());
    unappliedCredit = unappliedCredit.plus(applied.minus(requested));
    lines.push({ key: `extra:${extra.key}`, kind: extra.kind, description: extra.description, quantity: '1', amount: roundMoney(applied, currency) });
  }

  return totalInvoice(currency, lines, sumOfLines(), taxRate, unappliedCredit);
}

/**
 * The invoice of rated lines: tax on the subtotal, rounded once; every amount formatted in the currency.
 * Shared by `rateInvoice` and `composePeriodInvoice`.
 */
export function totalInvoice<Line extends { amount: Decimal }>(
  currency: string,
  lines: readonly Line[],
  subtotal: Decimal,
  taxRate: Decimal,
  unappliedCredit: Decimal,
): { currency: string; lines: Array<Omit<Line, 'amount'> & { amount: string }>; subtotal: string; tax: string; total: string; unappliedCredit: string } {
  const tax = roundMoney(subtotal.times(taxRate), currency);
  return {
    currency,
    lines: lines.map((line) => ({ ...line, amount: formatMoney(line.amount, currency) })),
    subtotal: formatMoney(subtotal, currency),
    tax: formatMoney(tax, currency),
    total: formatMoney(subtotal.plus(tax), currency),
    unappliedCredit: formatMoney(unappliedCredit, currency),
  };
}

/** The unit price when the whole quantity was priced at one rate with no flat fee. */
function singleUnitAmount(rating: Rating, quantity: Decimal): Decimal | undefined {
  const [step, ...others] = rating.breakdown;
  if (!step || others.length > 0 || !step.flatAmount.isZero() || !step.quantity.eq(quantity)) return undefined;
  return step.unitAmount;
}

/** `"1–5: 5 × 7.00; 6–10: 1 × 6.50 + 2.00 flat"`, `"120 × 0.05"`, or `"no usage"`. */
function describeRating(rating: Rating, currency: string): string {
  if (rating.breakdown.length === 0) return 'no usage';
  return rating.breakdown
    .map((step) => {
      const flat = step.flatAmount.isZero() ? '' : ` + ${formatUnitAmount(step.flatAmount, currency)} flat`;
      const label = step.label ? `${step.label}: ` : '';
      return `${label}${formatQuantity(step.quantity)} × ${formatUnitAmount(step.unitAmount, currency)}${flat}`;
    })
    .join('; ');
}
