import { Decimal } from '../decimal.js';
import { describe, expect, it } from 'vitest';
import { chargeModelNames, chargeModels, chargeSchema, rateCharge } from './index.js';

describe('charge model registry', () => {
  it('lists every model under its own name', () => {
    expect(chargeModelNames).toEqual(['standard', 'graduated', 'volume', 'package']);
    for (const name of chargeModelNames) expect(chargeModels[name].model).toBe(name);
  });

  it('parses a charge of each model', () => {
    const charges = [
      { meter: 'comments', model: 'standard', unitAmount: '0.01' },
      {
        meter: 'tasks_created',
        model: 'graduated',
        tiers: [
          { upTo: 100, unitAmount: '0' },
          { upTo: null, unitAmount: '0.02' },
        ],
      },
      {
        meter: 'active_members',
        model: 'volume',
        tiers: [
          { upTo: 10, unitAmount: '8' },
          { upTo: null, unitAmount: '6' },
        ],
        minimum: '8',
      },
      { meter: 'storage_bytes', model: 'package', packageSize: 1_000_000_000, packageAmount: '0.50', freeUnits: 5_000_000_000 },
    ];
    for (const charge of charges) expect(chargeSchema.parse(charge)).toEqual(charge);
  });

  it('rejects an unknown model, a missing meter and settings of another model', () => {
    expect(chargeSchema.safeParse({ meter: 'comments', model: 'percentage', rate: '0.1' }).success).toBe(false);
    expect(chargeSchema.safeParse({ model: 'standard', unitAmount: '1' }).success).toBe(false);
    expect(chargeSchema.safeParse({ meter: 'comments', model: 'standard', packageSize: 10 }).success).toBe(false);
  });

  it('rates a charge with its model', () => {
    const charge = chargeSchema.parse({ meter: 'comments', model: 'package', packageSize: 10, packageAmount: '1' });
    expect(rateCharge(charge, new Decimal(11)).amount.toFixed()).toBe('2');
  });
});
