/** The contract every charge model implements, and the helper that builds one from its config shape. */
import type { Decimal } from '../decimal.js';
import { z } from 'zod';
import { codeSchema } from '../codes.js';
import { moneyString } from '../money.js';

/** One priced step of a rating, e.g. one tier of a graduated price; invoices list them in descriptions. */
export interface RatingStep {
  /** Human label of the step: `"1–5"`, `"11 and above"`, `"free units"`, `"packages of 100"`; empty when it covers every unit. */
  label: string;
  /** Units (or, for packages, packages) priced by this step. */
  quantity: Decimal;
  /** Price of one unit (or one package). */
  unitAmount: Decimal;
  /** Fixed fee of the step; zero when it has none. */
  flatAmount: Decimal;
  /** `quantity × unitAmount + flatAmount`, not rounded. */
  amount: Decimal;
}

/** What rating a quantity produces: the exact amount (round once, on the invoice line) and how it was reached. */
export interface Rating {
  amount: Decimal;
  breakdown: RatingStep[];
}

/** Fields every charge has whatever its model: the meter it prices and an optional spending minimum. */
export const chargeBaseShape = {
  meter: codeSchema,
  /** Lago's charge "spending minimum": a true-up line makes this charge cost at least this much. */
  minimum: moneyString.optional(),
};

/**
 * Builds a charge model from its name, the zod shape of its settings and its pure rating function.
 * `configSchema` validates the settings alone; `chargeSchema` adds the fields every charge has.
 */
export function defineChargeModel<const Model extends string, Shape extends z.ZodRawShape>(definition: {
  model: Model;
  shape: Shape;
  /**
   * Pure: prices a non-negative quantity; throws RangeError on a negative one. `from` (0 when absent)
   * is the usage already billed earlier in the same period, under an earlier plan: the quantity is
   * priced as the units after it, so tiers, free units and packages continue where the period stands
   * instead of starting again. Rating `a` then `b` from `a` costs what rating `a + b` at once does,
   * except with the volume model, whose earlier units keep the price they were billed at.
   */
  rate: (quantity: Decimal, config: z.output<z.ZodObject<Shape>>, from?: Decimal) => Rating;
}) {
  const modelShape = { model: z.literal(definition.model) };
  return {
    model: definition.model,
    configSchema: z.object({ ...modelShape, ...definition.shape }),
    chargeSchema: z.object({ ...chargeBaseShape, ...modelShape, ...definition.shape }),
    rate: definition.rate,
  };
}

/** Any charge model, whatever its settings. */
export interface ChargeModel<Config = never> {
  readonly model: string;
  readonly configSchema: z.ZodType;
  readonly chargeSchema: z.ZodType;
  rate(quantity: Decimal, config: Config, from?: Decimal): Rating;
}

/** Rating a negative quantity is a caller bug (a meter that went below zero), never a refund. */
export function assertBillableQuantity(quantity: Decimal): void {
  if (!quantity.isFinite() || quantity.lt(0)) {
    throw new RangeError(`A charge cannot rate the quantity ${quantity.toString()}`);
  }
}
