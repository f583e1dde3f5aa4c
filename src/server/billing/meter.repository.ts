import type { Kysely } from 'kysely';
import type { BillingMetersTable, Database } from '../db/schema.js';

export const insertMeter = (db: Kysely<Database>, row: BillingMetersTable) => db.insertInto('billing_meters').values(row).execute();

export const findMeterRow = (db: Kysely<Database>, code: string) => db.selectFrom('billing_meters').selectAll().where('code', '=', code).executeTakeFirst();

export const listMeterRows = (db: Kysely<Database>) => db.selectFrom('billing_meters').selectAll().orderBy('code').execute();
