import { Decimal } from '../decimal.js';
import { describe, expect, it } from 'vitest';
import { graduatedConfigSchema, graduatedModel } from './graduated.js';
import type { Tier } from './tiers.js';

function amountOf(tiers: Tier[], quantity: Decimal.Value): string {
  return graduatedModel.rate(new Decimal(quantity), { tiers }).amount.toFixed();
}

describe('graduated model', () => {
  // https://docs.stripe.com/subscriptions/pricing-models/tiered-pricing (Typographic fonts: 1–5 at 7, 6–10 at 6.50, 11+ at 6)
  const stripeTiers: Tier[] = [
    { upTo: 5, unitAmount: '7' },
    { upTo: 10, unitAmount: '6.50' },
    { upTo: null, unitAmount: '6' },
  ];
  it.each([
    [0, '0'],
    [1, '7'],
    [5, '35'],
    [6, '41.5'],
    [10, '67.5'],
    [11, '73.5'],
    [20, '127.5'],
    [25, '157.5'],
  ])('Stripe: %i fonts cost %s', (quantity, expected) => {
    expect(amountOf(stripeTiers, quantity)).toBe(expected);
  });

  // https://getlago.com/docs/guide/plans/charges/charge-models/graduated (1 per call for the first 100, 0.50 for the next 100, 0.10 after)
  const lagoTiers: Tier[] = [
    { upTo: 100, unitAmount: '1' },
    { upTo: 200, unitAmount: '0.50' },
    { upTo: null, unitAmount: '0.10' },
  ];
  it.each([
    [100, '100'],
    [101, '100.5'],
    [150, '125'],
    [200, '150'],
    [201, '150.1'],
    [250, '155'],
  ])('Lago: %i API calls cost %s', (quantity, expected) => {
    expect(amountOf(lagoTiers, quantity)).toBe(expected);
  });

  // Lago adds a tier's flat fee once the tier is reached, and nothing for zero usage (lago-api GraduatedService).
  const flatFeeTiers: Tier[] = [
    { upTo: 10, unitAmount: '0', flatAmount: '20' },
    { upTo: null, unitAmount: '1.50', flatAmount: '5' },
  ];
  it.each([
    [0, '0'],
    [1, '20'],
    [10, '20'],
    [11, '26.5'],
    [12, '28'],
  ])('flat fees: %i units cost %s', (quantity, expected) => {
    expect(amountOf(flatFeeTiers, quantity)).toBe(expected);
  });

  it('prices fractional quantities continuously across tier edges', () => {
    expect(amountOf(stripeTiers, '5.5')).toBe('38.25');
  });

  it('explains each tier reached', () => {
    const { breakdown } = graduatedModel.rate(new Decimal(12), { tiers: stripeTiers });
    expect(breakdown.map((step) => [step.label, step.quantity.toFixed(), step.amount.toFixed()])).toEqual([
      ['1–5', '5', '35'],
      ['6–10', '5', '32.5'],
      ['11 and above', '2', '12'],
    ]);
  });

  it('accepts ascending tiers ending open-ended', () => {
    expect(graduatedConfigSchema.safeParse({ model: 'graduated', tiers: stripeTiers }).success).toBe(true);
  });

  it.each([
    ['no tiers', []],
    ['a bounded last tier', [{ upTo: 5, unitAmount: '1' }]],
    [
      'an open tier before the last',
      [
        { upTo: null, unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ],
    ],
    [
      'descending tiers',
      [
        { upTo: 10, unitAmount: '1' },
        { upTo: 5, unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ],
    ],
    [
      'repeated bounds',
      [
        { upTo: 5, unitAmount: '1' },
        { upTo: 5, unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ],
    ],
    [
      'a zero bound',
      [
        { upTo: 0, unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ],
    ],
    ['a number price', [{ upTo: null, unitAmount: 1 }]],
  ])('rejects %s', (_, tiers) => {
    expect(graduatedConfigSchema.safeParse({ model: 'graduated', tiers }).success).toBe(false);
  });

  it('points at the offending tier', () => {
    const result = graduatedConfigSchema.safeParse({
      model: 'graduated',
      tiers: [
        { upTo: 10, unitAmount: '1' },
        { upTo: 5, unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ],
    });
    expect(result.error?.issues[0]?.path).toEqual(['tiers', 1, 'upTo']);
  });
});

describe('graduated model called without validation', () => {
  it('refuses tiers the schema would reject rather than mis-pricing', () => {
    expect(() => graduatedModel.rate(new Decimal(50), { tiers: [{ upTo: 10, unitAmount: '1' }] })).toThrow(RangeError);
  });
});
