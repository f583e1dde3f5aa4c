import { Decimal } from '../decimal.js';
import { describe, expect, it } from 'vitest';
import { standardConfigSchema, standardModel } from './standard.js';

describe('standard model', () => {
  // https://zuplo.com/docs/articles/monetization/pricing-models (0.001 per call, 100,000 calls → 100)
  // https://docs.flexprice.io/docs/product-catalogue/plans/billing-models/flat-fee (0.05 per call, 1,000 calls → 50)
  it.each([
    ['0.001', 100_000, '100'],
    ['0.05', 1_000, '50'],
    ['8', 0, '0'],
  ])('at %s per unit, %s units cost %s', (unitAmount, quantity, expected) => {
    const rating = standardModel.rate(new Decimal(quantity), { unitAmount });
    expect(rating.amount.toFixed()).toBe(new Decimal(expected).toFixed());
    expect(rating.breakdown).toHaveLength(1);
  });

  // https://slack.com/help/articles/218915077-Slacks-Fair-Billing-Policy (8 per member, 20 of 30 days → 5.33)
  it('prices a fractional seat, rounded only on the invoice', () => {
    const rating = standardModel.rate(new Decimal(20).div(30), { unitAmount: '8' });
    expect(rating.amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).toBe('5.33');
  });

  it('refuses a negative quantity', () => {
    expect(() => standardModel.rate(new Decimal(-1), { unitAmount: '1' })).toThrow(RangeError);
  });

  it('validates its config', () => {
    expect(standardConfigSchema.safeParse({ model: 'standard', unitAmount: '0.10' }).success).toBe(true);
    expect(standardConfigSchema.safeParse({ model: 'standard', unitAmount: 0.1 }).success).toBe(false);
    expect(standardConfigSchema.safeParse({ model: 'volume', unitAmount: '0.10' }).success).toBe(false);
  });
});
