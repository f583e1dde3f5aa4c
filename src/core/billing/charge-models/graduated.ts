/** Graduated model: every unit is priced by the tier it falls in; a tier's flat fee is due once the tier is reached. */
import { Decimal } from '../decimal.js';
import type { z } from 'zod';
import { tierLabel, tierRanges, tiersSchema } from './tiers.js';
import { assertBillableQuantity, defineChargeModel, type RatingStep } from './types.js';

export const graduatedModel = defineChargeModel({
  model: 'graduated',
  shape: { tiers: tiersSchema },
  rate(quantity, config, from = new Decimal(0)) {
    assertBillableQuantity(quantity);
    assertBillableQuantity(from);
    const total = from.plus(quantity);
    const breakdown: RatingStep[] = [];
    for (const range of tierRanges(config.tiers)) {
      // Zero usage reaches no tier, so no flat fee either (as Lago does).
      if (total.lte(range.lowerBound)) break;
      // Units of this tier billed earlier in the period are not billed again, nor its flat fee.
      if (range.upTo !== null && from.gte(range.upTo)) continue;
      const top = range.upTo === null ? total : Decimal.min(total, range.upTo);
      const units = top.minus(Decimal.max(range.lowerBound, from));
      if (units.isZero()) continue;
      const flatAmount = from.gt(range.lowerBound) ? new Decimal(0) : range.flatAmount;
      breakdown.push({
        label: tierLabel(range),
        quantity: units,
        unitAmount: range.unitAmount,
        flatAmount,
        amount: units.times(range.unitAmount).plus(flatAmount),
      });
    }
    const amount = breakdown.reduce((sum, step) => sum.plus(step.amount), new Decimal(0));
    return { amount, breakdown };
  },
});

export const graduatedConfigSchema = graduatedModel.configSchema;
export type GraduatedConfig = z.infer<typeof graduatedConfigSchema>;
