/** Graduated model: every unit is priced by the tier it falls in; a tier's flat fee is due once the tier is reached. */
import { Decimal } from '../decimal.js';
import type { z } from 'zod';
import { tierLabel, tierRanges, tiersSchema } from './tiers.js';
import { assertBillableQuantity, defineChargeModel, type RatingStep } from './types.js';

export const graduatedModel = defineChargeModel({
  model: 'graduated',
  shape: { tiers: tiersSchema },
  rate(quantity, config) {
    assertBillableQuantity(quantity);
    const breakdown: RatingStep[] = [];
    for (const range of tierRanges(config.tiers)) {
      // Zero usage reaches no tier, so no flat fee either (as Lago does).
      if (quantity.lte(range.lowerBound)) break;
      const top = range.upTo === null ? quantity : Decimal.min(quantity, range.upTo);
      const units = top.minus(range.lowerBound);
      breakdown.push({
        label: tierLabel(range),
        quantity: units,
        unitAmount: range.unitAmount,
        flatAmount: range.flatAmount,
        amount: units.times(range.unitAmount).plus(range.flatAmount),
      });
    }
    const amount = breakdown.reduce((sum, step) => sum.plus(step.amount), new Decimal(0));
    return { amount, breakdown };
  },
});

export const graduatedConfigSchema = graduatedModel.configSchema;
export type GraduatedConfig = z.infer<typeof graduatedConfigSchema>;
