import type { Kysely } from 'kysely';
import type { BillingSubscriptionPhasesTable, BillingSubscriptionsTable, Database } from '../db/schema.js';

export type SubscriptionRow = BillingSubscriptionsTable;
export type PhaseRow = BillingSubscriptionPhasesTable;

export const insertSubscription = (db: Kysely<Database>, row: SubscriptionRow) => db.insertInto('billing_subscriptions').values(row).execute();

export const insertPhases = (db: Kysely<Database>, rows: PhaseRow[]) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .insertInto('billing_subscription_phases')
        .values(rows)
        .execute()
        .then(() => undefined);

export const findSubscription = (db: Kysely<Database>, id: string) =>
  db.selectFrom('billing_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();

export const findLiveSubscription = (db: Kysely<Database>, workspaceId: string) =>
  db.selectFrom('billing_subscriptions').selectAll().where('workspace_id', '=', workspaceId).where('status', '=', 'active').executeTakeFirst();

/**
 * The time the workspace's ended subscriptions billed, since `endedAfter`, once their last invoice is final (no
 * draft left): usage of that time can no longer reach an invoice. The live subscription's time is not in it.
 */
export const listSettledEndedSpans = (db: Kysely<Database>, workspaceId: string, endedAfter: string) =>
  db
    .selectFrom('billing_subscriptions as s')
    .select(['s.start_at', 's.ended_at'])
    .where('s.workspace_id', '=', workspaceId)
    .where('s.status', '=', 'canceled')
    .where('s.ended_at', '>', endedAfter)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('billing_invoices as i').select('i.id').whereRef('i.subscription_id', '=', 's.id').where('i.status', '=', 'draft'))),
    )
    .execute() as Promise<Array<{ start_at: string; ended_at: string }>>;

/** The time zones of these subscriptions (their periods and invoices are cut in them). */
export const listSubscriptionTimezones = (db: Kysely<Database>, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([] as Array<{ id: string; timezone: string }>)
    : db.selectFrom('billing_subscriptions').select(['id', 'timezone']).where('id', 'in', ids).execute();

/** The live subscription, else the most recent one. */
export const findLatestSubscription = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('billing_subscriptions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy((eb) => eb.case().when('status', '=', 'active').then(0).else(1).end())
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();

export const listPhases = (db: Kysely<Database>, subscriptionId: string) =>
  db.selectFrom('billing_subscription_phases').selectAll().where('subscription_id', '=', subscriptionId).orderBy('starts_at').orderBy('created_at').execute();

/**
 * Locks a live subscription's row for the rest of the transaction (a write, so SQLite takes its write lock and
 * PostgreSQL the row lock before anything is read); false if it has ended. Plan changes start with it.
 */
export async function lockLiveSubscription(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('billing_subscriptions')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every phase in force at `at` (and drops those that would start later): a plan change from `at` on. Call it with the subscription locked (`lockLiveSubscription`). */
export async function cutPhasesAt(db: Kysely<Database>, subscriptionId: string, at: string): Promise<void> {
  await db.deleteFrom('billing_subscription_phases').where('subscription_id', '=', subscriptionId).where('starts_at', '>=', at).execute();
  await db
    .updateTable('billing_subscription_phases')
    .set({ ends_at: at })
    .where('subscription_id', '=', subscriptionId)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .execute();
}

/** Ends the phases still open (a cancellation taking effect at `at`). */
export const endOpenPhases = (db: Kysely<Database>, subscriptionId: string, at: string) =>
  db.updateTable('billing_subscription_phases').set({ ends_at: at }).where('subscription_id', '=', subscriptionId).where('ends_at', 'is', null).execute();

/**
 * Moves the subscription past the period starting at `expectedStart`, only if nobody has yet: the
 * condition is what makes two nodes closing the same period agree on who does it.
 */
export async function advancePeriod(
  db: Kysely<Database>,
  id: string,
  expectedStart: string,
  next: { start: string; end: string; updatedAt: string; endedAt: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('billing_subscriptions')
    .set({
      current_period_start: next.start,
      current_period_end: next.end,
      updated_at: next.updatedAt,
      ...(next.endedAt ? { status: 'canceled' as const, ended_at: next.endedAt } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('current_period_start', '=', expectedStart)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export const updateSubscription = (db: Kysely<Database>, id: string, fields: Partial<SubscriptionRow>) =>
  db.updateTable('billing_subscriptions').set(fields).where('id', '=', id).execute();

/** Live subscriptions on the server clock (or on one test clock) whose open period has ended by `now`. */
export function listSubscriptionsToClose(db: Kysely<Database>, scope: { testClockId: string | null; now: string }) {
  let query = db.selectFrom('billing_subscriptions').selectAll().where('status', '=', 'active').where('current_period_end', '<=', scope.now);
  query = scope.testClockId === null ? query.where('test_clock_id', 'is', null) : query.where('test_clock_id', '=', scope.testClockId);
  return query.orderBy('current_period_end').orderBy('id').execute();
}

/** Subscriptions on the server clock (or one test clock) that have draft invoices waiting. */
export function listSubscriptionsWithDrafts(db: Kysely<Database>, scope: { testClockId: string | null; dueBefore: string }) {
  let query = db
    .selectFrom('billing_subscriptions as s')
    .innerJoin('billing_invoices as i', 'i.subscription_id', 's.id')
    .selectAll('s')
    .distinct()
    .where('i.status', '=', 'draft')
    .where('i.period_end', '<=', scope.dueBefore);
  query = scope.testClockId === null ? query.where('s.test_clock_id', 'is', null) : query.where('s.test_clock_id', '=', scope.testClockId);
  return query.orderBy('s.id').execute();
}
