import { Decimal } from '../decimal.js';
import { describe, expect, it } from 'vitest';
import type { Tier } from './tiers.js';
import { volumeConfigSchema, volumeModel } from './volume.js';

function amountOf(tiers: Tier[], quantity: Decimal.Value): string {
  return volumeModel.rate(new Decimal(quantity), { tiers }).amount.toFixed();
}

describe('volume model', () => {
  // https://docs.stripe.com/subscriptions/pricing-models/tiered-pricing (volume-based table: 1 → 7, 5 → 35, 6 → 39, 20 → 120, 25 → 150)
  const stripeTiers: Tier[] = [
    { upTo: 5, unitAmount: '7' },
    { upTo: 10, unitAmount: '6.50' },
    { upTo: null, unitAmount: '6' },
  ];
  it.each([
    [1, '7'],
    [5, '35'],
    [6, '39'],
    [10, '65'],
    [11, '66'],
    [20, '120'],
    [25, '150'],
  ])('Stripe: %i fonts cost %s', (quantity, expected) => {
    expect(amountOf(stripeTiers, quantity)).toBe(expected);
  });

  // https://getlago.com/docs/guide/plans/charges/charge-models/volume (65,000 API calls → 65,000 × 0.0006 + 10 = 49)
  const lagoTiers: Tier[] = [
    { upTo: 10_000, unitAmount: '0.0010', flatAmount: '10' },
    { upTo: 50_000, unitAmount: '0.0008', flatAmount: '10' },
    { upTo: 100_000, unitAmount: '0.0006', flatAmount: '10' },
    { upTo: null, unitAmount: '0.0004', flatAmount: '10' },
  ];
  it.each([
    [0, '0'],
    [1, '10.001'],
    [10_000, '20'],
    [10_001, '18.0008'],
    [50_000, '50'],
    [65_000, '49'],
    [100_000, '70'],
    [100_001, '50.0004'],
  ])('Lago: %i API calls cost %s (upTo is inclusive)', (quantity, expected) => {
    expect(amountOf(lagoTiers, quantity)).toBe(expected);
  });

  it('explains the tier that priced every unit', () => {
    const { breakdown } = volumeModel.rate(new Decimal(65_000), { tiers: lagoTiers });
    expect(breakdown).toHaveLength(1);
    expect(breakdown[0]?.label).toBe('50001–100000');
    expect(breakdown[0]?.flatAmount.toFixed()).toBe('10');
  });

  it('shares the tier validation of the graduated model', () => {
    expect(volumeConfigSchema.safeParse({ model: 'volume', tiers: lagoTiers }).success).toBe(true);
    expect(volumeConfigSchema.safeParse({ model: 'volume', tiers: lagoTiers.slice(0, 3) }).success).toBe(false);
  });
});
