/** Volume model: the tier the total falls in prices every unit, plus that tier's flat fee once. */
import { Decimal } from '../decimal.js';
import type { z } from 'zod';
import { tierLabel, tierRanges, tiersSchema } from './tiers.js';
import { assertBillableQuantity, defineChargeModel } from './types.js';

export const volumeModel = defineChargeModel({
  model: 'volume',
  shape: { tiers: tiersSchema },
  rate(quantity, config, from = new Decimal(0)) {
    assertBillableQuantity(quantity);
    assertBillableQuantity(from);
    // Zero usage falls in no tier and costs nothing, flat fees included (as Lago does).
    if (quantity.isZero()) return { amount: new Decimal(0), breakdown: [] };
    // The tier the period's total reaches prices these units; units billed earlier keep their price.
    const total = from.plus(quantity);
    const range = tierRanges(config.tiers).find((candidate) => candidate.upTo === null || total.lte(candidate.upTo));
    // Unreachable: validated tiers end with an open-ended one.
    if (!range) throw new RangeError('No tier covers the quantity');
    // The tier's flat fee once a period: not again when earlier usage had already reached the tier.
    const flatAmount = from.gt(range.lowerBound) ? new Decimal(0) : range.flatAmount;
    const amount = quantity.times(range.unitAmount).plus(flatAmount);
    return {
      amount,
      breakdown: [{ label: tierLabel(range), quantity, unitAmount: range.unitAmount, flatAmount, amount }],
    };
  },
});

export const volumeConfigSchema = volumeModel.configSchema;
export type VolumeConfig = z.infer<typeof volumeConfigSchema>;
