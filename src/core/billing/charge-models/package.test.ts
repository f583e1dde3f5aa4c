import { Decimal } from '../decimal.js';
import { describe, expect, it } from 'vitest';
import { packageConfigSchema, packageModel, type PackageConfig } from './package.js';

function amountOf(config: Omit<PackageConfig, 'model'>, quantity: Decimal.Value): string {
  return packageModel.rate(new Decimal(quantity), config).amount.toFixed();
}

describe('package model', () => {
  // https://getlago.com/docs/guide/plans/charges/charge-models/package (5 per 100 units, first 100 free: 201 units → 0 + 5 + 5 = 10)
  const lago = { packageSize: 100, packageAmount: '5', freeUnits: 100 };
  it.each([
    [0, '0'],
    [100, '0'],
    [101, '5'],
    [200, '5'],
    [201, '10'],
    [300, '10'],
    [301, '15'],
  ])('Lago: %i units cost %s', (quantity, expected) => {
    expect(amountOf(lago, quantity)).toBe(expected);
  });

  // https://www.chargebee.com/docs/billing/2.0/product-catalog/package-pricing (1.25 per 1M tokens: 10 → 1 package, 1.5M → 2 packages)
  const chargebee = { packageSize: 1_000_000, packageAmount: '1.25' };
  it.each([
    [10, '1.25'],
    [1_000_000, '1.25'],
    [1_500_000, '2.5'],
  ])('Chargebee: %i tokens cost %s (a started package is a whole one)', (quantity, expected) => {
    expect(amountOf(chargebee, quantity)).toBe(expected);
  });

  it('explains free units and packages', () => {
    const { breakdown } = packageModel.rate(new Decimal(201), lago);
    expect(breakdown.map((step) => [step.label, step.quantity.toFixed(), step.amount.toFixed()])).toEqual([
      ['free units', '100', '0'],
      ['packages of 100', '2', '10'],
    ]);
  });

  it('validates its config', () => {
    expect(packageConfigSchema.safeParse({ model: 'package', ...lago }).success).toBe(true);
    expect(packageConfigSchema.safeParse({ model: 'package', packageSize: 0, packageAmount: '5' }).success).toBe(false);
    expect(packageConfigSchema.safeParse({ model: 'package', packageSize: 2.5, packageAmount: '5' }).success).toBe(false);
    expect(packageConfigSchema.safeParse({ model: 'package', packageSize: 10, packageAmount: '5', freeUnits: -1 }).success).toBe(false);
  });
});
