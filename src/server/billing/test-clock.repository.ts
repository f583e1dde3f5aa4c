import type { Kysely } from 'kysely';
import type { BillingTestClocksTable, Database } from '../db/schema.js';

export const insertTestClock = (db: Kysely<Database>, row: BillingTestClocksTable) => db.insertInto('billing_test_clocks').values(row).execute();

export const findTestClock = (db: Kysely<Database>, id: string) => db.selectFrom('billing_test_clocks').selectAll().where('id', '=', id).executeTakeFirst();

/** Moves a clock forward only: returns false when it is already at or past `frozenTime`. */
export async function advanceTestClock(db: Kysely<Database>, id: string, frozenTime: string, updatedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('billing_test_clocks')
    .set({ frozen_time: frozenTime, updated_at: updatedAt })
    .where('id', '=', id)
    .where('frozen_time', '<=', frozenTime)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Workspaces whose live subscription runs on a test clock, with the clock's time. */
export const listTestClockWorkspaces = (db: Kysely<Database>) =>
  db
    .selectFrom('billing_subscriptions as s')
    .innerJoin('billing_test_clocks as c', 'c.id', 's.test_clock_id')
    .select(['s.workspace_id', 'c.id as clock_id', 'c.frozen_time'])
    .where('s.status', '=', 'active')
    .execute();

/** The frozen times of the test clocks subscriptions run on. */
const clockTimes = (db: Kysely<Database>) =>
  db.selectFrom('billing_subscriptions as s').innerJoin('billing_test_clocks as c', 'c.id', 's.test_clock_id').select('c.frozen_time');

/** Frozen time of the test clock the workspace's live subscription is attached to, if any. */
export async function findWorkspaceClockTime(db: Kysely<Database>, workspaceId: string): Promise<string | null> {
  const row = await clockTimes(db).where('s.workspace_id', '=', workspaceId).where('s.status', '=', 'active').executeTakeFirst();
  return row?.frozen_time ?? null;
}

/**
 * Frozen time of the test clock a subscription ran on, whatever its status: what happens to its invoices
 * after it ended (a credit note) still happens in its time.
 */
export async function findSubscriptionClockTime(db: Kysely<Database>, subscriptionId: string): Promise<string | null> {
  const row = await clockTimes(db).where('s.id', '=', subscriptionId).executeTakeFirst();
  return row?.frozen_time ?? null;
}
