import type { Kysely } from 'kysely';
import type { BillingPlansTable, Database } from '../db/schema.js';

export const insertPlan = (db: Kysely<Database>, row: BillingPlansTable) => db.insertInto('billing_plans').values(row).execute();

export const findPlanRow = (db: Kysely<Database>, code: string) => db.selectFrom('billing_plans').selectAll().where('code', '=', code).executeTakeFirst();

export const findPlanRows = (db: Kysely<Database>, codes: string[]) =>
  codes.length === 0 ? Promise.resolve([]) : db.selectFrom('billing_plans').selectAll().where('code', 'in', codes).execute();

export const listPlanRows = (db: Kysely<Database>) => db.selectFrom('billing_plans').selectAll().orderBy('code').execute();
