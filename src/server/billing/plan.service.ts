/** Plans: immutable once created, so every invoice re-rates exactly as it was billed. */
import { AppError } from '../../core/errors.js';
import { planBody, type PlanBody, type PlanView } from '../../core/schemas/billing.js';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { BillingPlansTable, Database } from '../db/schema.js';
import type { MeterService } from './meter.service.js';
import { findPlanRow, findPlanRows, insertPlan, listPlanRows } from './plan.repository.js';

export const toPlanView = (row: BillingPlansTable): PlanView => ({ ...planBody.parse(JSON.parse(row.definition)), createdAt: row.created_at });

export function createPlanService({ db, clock }: Pick<AppContext, 'db' | 'clock'>, meters: MeterService) {
  const cache = new Map<string, PlanView>();

  /**
   * A plan by code. Inside a transaction pass its `tx`: on SQLite the transaction holds the only
   * connection, so a read through `db.kysely` would wait for it forever (a cold cache after a restart).
   */
  async function findPlan(code: string, reader: Kysely<Database> = db.kysely): Promise<PlanView | undefined> {
    const cached = cache.get(code);
    if (cached) return cached;
    const row = await findPlanRow(reader, code);
    if (!row) return undefined;
    const plan = toPlanView(row);
    cache.set(code, plan);
    return plan;
  }

  return {
    findPlan,

    async requirePlan(code: string): Promise<PlanView> {
      const plan = await findPlan(code);
      if (!plan) throw new AppError('not_found', `Plan not found: ${code}`, { errors: [{ field: 'plan', message: 'is not a plan' }] });
      return plan;
    },

    /** Plans by code, for rating many phases at once. */
    async plansByCode(codes: string[], reader: Kysely<Database> = db.kysely): Promise<Map<string, PlanView>> {
      const missing = codes.filter((code) => !cache.has(code));
      for (const row of await findPlanRows(reader, [...new Set(missing)])) cache.set(row.code, toPlanView(row));
      return new Map(codes.flatMap((code) => (cache.has(code) ? [[code, cache.get(code)!] as const] : [])));
    },

    async createPlan(body: PlanBody): Promise<PlanView> {
      const errors = [];
      for (const [index, charge] of body.charges.entries()) {
        if (!(await meters.findMeter(charge.meter))) errors.push({ field: `charges.${index}.meter`, message: `is not a meter: ${charge.meter}` });
      }
      if (errors.length > 0) throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
      if (await findPlanRow(db.kysely, body.code)) {
        throw new AppError('conflict', `A plan with the code ${body.code} already exists; plans cannot change, create a new one`, {
          errors: [{ field: 'code', message: 'is taken' }],
        });
      }
      const row = {
        code: body.code,
        name: body.name,
        currency: body.currency,
        interval: body.interval,
        definition: JSON.stringify(body),
        created_at: clock.now().toISOString(),
      };
      try {
        await insertPlan(db.kysely, row);
      } catch (error) {
        if (await findPlanRow(db.kysely, body.code)) throw new AppError('conflict', `A plan with the code ${body.code} already exists`);
        throw error;
      }
      return toPlanView(row);
    },

    async listPlans(): Promise<PlanView[]> {
      return (await listPlanRows(db.kysely)).map(toPlanView);
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
