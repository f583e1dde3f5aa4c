/**
 * The decimal type billing computes with: decimal.js keeping enough significant digits that sums and
 * products of the largest quantities and prices accepted stay exact. decimal.js's default, 20 digits,
 * rounded them silently: a thousand events of 999999999999999999.37 summed to …999900, not …999370.
 * Every billing module imports `Decimal` from here, never from 'decimal.js'.
 */
import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Significant digits every operation keeps. A measure has at most 18 integer and 12 fraction digits
 * and a price at most 12 and 6: a period's total of even a trillion of the largest events (31 integer
 * and 12 fraction digits) times a price (43 and 18) fits in 64 digits, so sums, products and their
 * rounding to the minor unit are exact. Only divisions (proration, shares of a day) are rounded, at
 * the 64th digit, long before an amount is rounded to its minor unit.
 */
export const billingPrecision = 64;

export const Decimal = DecimalJs.clone({ precision: billingPrecision });
export type Decimal = DecimalJs;
// A namespace only for the `Decimal.Value` type, as decimal.js declares it.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Decimal {
  type Value = DecimalJs.Value;
}
