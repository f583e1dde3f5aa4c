/**
 * The registry of charge models. Adding a model is one file next to this one and one line below;
 * the charge schema, the `Charge` type and `rateCharge` follow from the registry.
 */
import { Decimal } from '../decimal.js';
import { z } from 'zod';
import { graduatedModel } from './graduated.js';
import { packageModel } from './package.js';
import { standardModel } from './standard.js';
import type { ChargeModel, Rating } from './types.js';
import { volumeModel } from './volume.js';

/** Checks at compile time that each key is the name of the model it holds. */
function defineRegistry<const Registry extends { [Name in keyof Registry]: { model: Name } }>(registry: Registry): Registry {
  return registry;
}

export const chargeModels = defineRegistry({
  standard: standardModel,
  graduated: graduatedModel,
  volume: volumeModel,
  package: packageModel,
});

export type ChargeModelName = keyof typeof chargeModels;
export const chargeModelNames = Object.keys(chargeModels) as ChargeModelName[];

type ChargeSchemaOfAnyModel = (typeof chargeModels)[ChargeModelName]['chargeSchema'];
const chargeSchemas = Object.values(chargeModels).map((model) => model.chargeSchema) as [ChargeSchemaOfAnyModel, ...ChargeSchemaOfAnyModel[]];

/** A charge of a plan: `{meter, model, minimum?, ...settings of the model}`. */
export const chargeSchema = z.discriminatedUnion('model', chargeSchemas);
export type Charge = z.infer<typeof chargeSchema>;

/**
 * Rates `quantity` of the charge's meter with the charge's model. Pure; the amount is not rounded.
 * `from`: units of the meter already billed earlier in the period (see `defineChargeModel`).
 */
export function rateCharge(charge: Charge, quantity: Decimal, from?: Decimal): Rating {
  // TypeScript cannot correlate `charge.model` with the registry entry it selects; the schema guarantees they match.
  const model = chargeModels[charge.model] as ChargeModel<Charge>;
  // Rated with billing's precision even when the quantity was made by a plain decimal.js (the web app's).
  return model.rate(new Decimal(quantity), charge, new Decimal(from ?? 0));
}

export type { ChargeModel, Rating, RatingStep } from './types.js';
export { tierSchema, tiersSchema, type Tier } from './tiers.js';
export { standardModel, standardConfigSchema, type StandardConfig } from './standard.js';
export { graduatedModel, graduatedConfigSchema, type GraduatedConfig } from './graduated.js';
export { volumeModel, volumeConfigSchema, type VolumeConfig } from './volume.js';
export { packageModel, packageConfigSchema, type PackageConfig } from './package.js';
