/** Package model: units are sold in packages, a started package costs a whole one; free units come off first. */
import { Decimal } from '../decimal.js';
import { z } from 'zod';
import { moneyString } from '../money.js';
import { assertBillableQuantity, defineChargeModel, type RatingStep } from './types.js';

export const packageModel = defineChargeModel({
  model: 'package',
  shape: {
    packageSize: z.number().int().positive(),
    packageAmount: moneyString,
    freeUnits: z.number().int().nonnegative().optional(),
  },
  rate(quantity, config, from = new Decimal(0)) {
    assertBillableQuantity(quantity);
    assertBillableQuantity(from);
    const zero = new Decimal(0);
    const free = new Decimal(config.freeUnits ?? 0);
    const total = from.plus(quantity);
    // Free units and started packages of the period are used up by the usage billed before `from`.
    const freeUnits = Decimal.min(total, free).minus(Decimal.min(from, free));
    const packagesUpTo = (units: Decimal) => Decimal.max(units.minus(free), 0).div(config.packageSize).ceil();
    const packages = packagesUpTo(total).minus(packagesUpTo(from));
    const packageAmount = new Decimal(config.packageAmount);
    const amount = packages.times(packageAmount);

    const breakdown: RatingStep[] = [];
    if (freeUnits.gt(0)) {
      breakdown.push({ label: 'free units', quantity: freeUnits, unitAmount: zero, flatAmount: zero, amount: zero });
    }
    if (packages.gt(0)) {
      breakdown.push({ label: `packages of ${config.packageSize}`, quantity: packages, unitAmount: packageAmount, flatAmount: zero, amount });
    }
    return { amount, breakdown };
  },
});

export const packageConfigSchema = packageModel.configSchema;
export type PackageConfig = z.infer<typeof packageConfigSchema>;
