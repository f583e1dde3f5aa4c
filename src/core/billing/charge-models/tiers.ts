/** Price tiers shared by the graduated and volume models: schema, validation and labels. */
import { Decimal } from '../decimal.js';
import { z } from 'zod';
import { moneyString } from '../money.js';

export const tierSchema = z.object({
  /** Last unit of the tier, inclusive; `null` on the last tier, which is open-ended. */
  upTo: z.number().positive().finite().nullable(),
  unitAmount: moneyString,
  flatAmount: moneyString.optional(),
});
export type Tier = z.infer<typeof tierSchema>;

/** Tiers in ascending order of `upTo`, every one bounded except the last. */
export const tiersSchema = z
  .array(tierSchema)
  .min(1)
  .max(50)
  .superRefine((tiers, context) => {
    tiers.forEach((tier, index) => {
      const isLast = index === tiers.length - 1;
      if (isLast && tier.upTo !== null) {
        context.addIssue({ code: 'custom', path: [index, 'upTo'], message: 'the last tier must be open-ended (upTo: null)' });
      }
      if (!isLast && tier.upTo === null) {
        context.addIssue({ code: 'custom', path: [index, 'upTo'], message: 'only the last tier may be open-ended' });
      }
      const previousUpTo = index > 0 ? tiers[index - 1]?.upTo : 0;
      if (tier.upTo !== null && typeof previousUpTo === 'number' && tier.upTo <= previousUpTo) {
        context.addIssue({ code: 'custom', path: [index, 'upTo'], message: 'tiers must be in ascending order of upTo' });
      }
    });
  });

/** A tier with its bounds as decimals: it covers quantities in (lowerBound, upTo]. */
export interface TierRange {
  lowerBound: Decimal;
  upTo: Decimal | null;
  unitAmount: Decimal;
  flatAmount: Decimal;
}

/** Decimal ranges of tiers that passed {@link tiersSchema}; throws RangeError on tiers that would not. */
export function tierRanges(tiers: readonly Tier[]): TierRange[] {
  if (!tiersSchema.safeParse(tiers).success) throw new RangeError('Tiers must ascend and end with an open-ended tier');
  let lowerBound = new Decimal(0);
  return tiers.map((tier) => {
    const upTo = tier.upTo === null ? null : new Decimal(tier.upTo);
    const range = {
      lowerBound,
      upTo,
      unitAmount: new Decimal(tier.unitAmount),
      flatAmount: new Decimal(tier.flatAmount ?? 0),
    };
    if (upTo) lowerBound = upTo;
    return range;
  });
}

/** `"1–5"`, `"11 and above"` for whole-unit tiers; `"over 2.5 up to 5"` otherwise. */
export function tierLabel(range: TierRange): string {
  const { lowerBound, upTo } = range;
  if (lowerBound.isInteger() && (upTo === null || upTo.isInteger())) {
    const firstUnit = lowerBound.plus(1).toFixed();
    return upTo === null ? `${firstUnit} and above` : `${firstUnit}–${upTo.toFixed()}`;
  }
  return upTo === null ? `over ${lowerBound.toFixed()}` : `over ${lowerBound.toFixed()} up to ${upTo.toFixed()}`;
}
