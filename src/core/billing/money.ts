/** Currency minor units, half-up rounding and the string form money takes at every boundary. */
import { Decimal } from './decimal.js';
import { z } from 'zod';

/**
 * ISO 4217 currencies whose minor unit is not 2 (cents). Anything absent, including
 * unknown codes, has 2 decimals, which is what most currencies use.
 */
const minorUnitExceptions: Readonly<Record<string, number>> = {
  // No minor unit.
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // Thousandths.
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // Ten-thousandths (units of account).
  CLF: 4,
  UYW: 4,
};

/** Three uppercase letters, e.g. `EUR`. */
export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO 4217 code such as EUR' });

/** Non-negative decimal string: at most 12 integer digits and 6 fraction digits, e.g. `"6.50"`. */
export const moneyString = z.string().regex(/^(0|[1-9]\d{0,11})(\.\d{1,6})?$/, { error: 'must be a non-negative decimal string such as "6.50"' });

/** Like {@link moneyString} but may be negative, for credits and adjustments, e.g. `"-10.00"`. */
export const signedMoneyString = z.string().regex(/^-?(0|[1-9]\d{0,11})(\.\d{1,6})?$/, { error: 'must be a decimal string such as "-10.00"' });

/** Number of decimals of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD; 2 when unknown. */
export function minorUnits(currency: string): number {
  return minorUnitExceptions[currency.toUpperCase()] ?? 2;
}

/**
 * Rounds to the currency's minor unit, half away from zero ("half-up" on magnitudes):
 * 0.125 EUR → 0.13, −0.125 EUR → −0.13.
 */
export function roundMoney(amount: Decimal.Value, currency: string): Decimal {
  const rounded = new Decimal(amount).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
  // −0.001 rounds to −0; money has no signed zero.
  return rounded.isZero() ? new Decimal(0) : rounded;
}

/** Rounds then prints with exactly the minor-unit decimals: `"6.50"` in EUR, `"1200"` in JPY. */
export function formatMoney(amount: Decimal.Value, currency: string): string {
  return roundMoney(amount, currency).toFixed(minorUnits(currency));
}

/**
 * Prints a unit price without losing precision: at least the currency's decimals, more when the
 * price has them (`"0.0006"` per API call in USD, `"7.00"` per font).
 */
export function formatUnitAmount(amount: Decimal.Value, currency: string): string {
  const value = new Decimal(amount);
  return value.toFixed(Math.max(minorUnits(currency), value.decimalPlaces()));
}
