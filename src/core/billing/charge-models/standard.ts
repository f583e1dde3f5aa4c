/** Standard model: one price per unit. */
import { Decimal } from '../decimal.js';
import type { z } from 'zod';
import { moneyString } from '../money.js';
import { assertBillableQuantity, defineChargeModel } from './types.js';

export const standardModel = defineChargeModel({
  model: 'standard',
  shape: { unitAmount: moneyString },
  rate(quantity, config) {
    assertBillableQuantity(quantity);
    const unitAmount = new Decimal(config.unitAmount);
    const amount = quantity.times(unitAmount);
    return {
      amount,
      breakdown: [{ label: '', quantity, unitAmount, flatAmount: new Decimal(0), amount }],
    };
  },
});

export const standardConfigSchema = standardModel.configSchema;
export type StandardConfig = z.infer<typeof standardConfigSchema>;
