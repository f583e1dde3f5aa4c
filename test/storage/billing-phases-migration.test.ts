/**
 * Migration 0014: the database refuses a second open plan phase for a subscription, on both databases. A
 * subscription that already has two (two plan changes at once, before eb00a64) is mended so the index can be built:
 * the phase billing took as the plan in force stays open, the other ends where the subscription's open period
 * starts (at its own start if it began in that period), and each phase ended is recorded for finance.
 */
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/server/db/database.js';
import { newId } from '../../src/server/ids.js';
import { openTestDatabase } from '../support/database.js';
import { testDialects } from '../support/dialects.js';

const at = '2026-03-01T00:00:00.000Z';

/** A live monthly subscription whose open period starts at `openPeriodStart`, as the tables were before 0014. */
function subscription(openPeriodStart: string, openPeriodEnd: string) {
  return {
    id: newId(),
    workspace_id: newId(),
    status: 'active',
    anchor: 'calendar',
    timezone: 'UTC',
    start_at: at,
    trial_end: null,
    test_clock_id: null,
    current_period_start: openPeriodStart,
    current_period_end: openPeriodEnd,
    cancel_at_period_end: 0,
    ended_at: null,
    created_at: at,
    updated_at: at,
  };
}

const phase = (subscriptionId: string, plan: string, startsAt: string, endsAt: string | null, createdAt = startsAt) => ({
  id: newId(),
  subscription_id: subscriptionId,
  plan_code: plan,
  starts_at: startsAt,
  ends_at: endsAt,
  trial: 0,
  created_at: createdAt,
});

describe.each(testDialects())('one open plan phase per subscription (migration 0014) on %s', (dialect) => {
  it('mends subscriptions left with two open phases without touching invoiced periods, then refuses a second open phase', async () => {
    const { db, schema, close } = await openTestDatabase(dialect, { migrate: false });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      await migrateUpTo(db, schema, '0013-workspace-invitations');
      const k = db.kysely as any;
      // Raced on April 16 (two changes from Starter), April closed since: its open period is May.
      const racedLastMonth = subscription('2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
      const starter = phase(racedLastMonth.id, 'starter', at, '2026-04-16T00:00:00.000Z');
      const team = phase(racedLastMonth.id, 'team', '2026-04-16T00:00:00.000Z', null, '2026-04-16T00:00:00.000Z');
      const business = phase(racedLastMonth.id, 'business', '2026-04-16T00:00:00.000Z', null, '2026-04-16T00:00:00.001Z');
      // Raced in its open period (May), three changes at once.
      const racedThisMonth = subscription('2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
      const first = phase(racedThisMonth.id, 'starter', at, '2026-05-10T00:00:00.000Z');
      const second = phase(racedThisMonth.id, 'team', '2026-05-10T00:00:00.000Z', null);
      const third = phase(racedThisMonth.id, 'business', '2026-05-10T00:00:00.002Z', null);
      const fourth = phase(racedThisMonth.id, 'pro', '2026-05-10T00:00:00.003Z', null);
      const healthy = subscription('2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
      const healthyPhases = [phase(healthy.id, 'starter', at, '2026-04-02T00:00:00.000Z'), phase(healthy.id, 'team', '2026-04-02T00:00:00.000Z', null)];
      await k.insertInto('billing_subscriptions').values([racedLastMonth, racedThisMonth, healthy]).execute();
      await k
        .insertInto('billing_subscription_phases')
        .values([starter, team, business, first, second, third, fourth, ...healthyPhases])
        .execute();

      // The server starts: the migration does not fail on them.
      expect(await migrateToLatest(db, schema)).toContain('0014-one-open-phase');

      const endsOf = async (subscriptionId: string) =>
        (
          await k
            .selectFrom('billing_subscription_phases')
            .select(['plan_code', 'starts_at', 'ends_at'])
            .where('subscription_id', '=', subscriptionId)
            .orderBy('starts_at')
            .orderBy('created_at')
            .execute()
        ).map((row: { plan_code: string; ends_at: string | null }) => [row.plan_code, row.ends_at]);
      // April (invoiced) keeps both phases as it was rated; from May on, Team alone.
      expect(await endsOf(racedLastMonth.id)).toEqual([
        ['starter', '2026-04-16T00:00:00.000Z'],
        ['team', null],
        ['business', '2026-05-01T00:00:00.000Z'],
      ]);
      // Nothing of May is invoiced yet: the later ones end where they start, and bill nothing.
      expect(await endsOf(racedThisMonth.id)).toEqual([
        ['starter', '2026-05-10T00:00:00.000Z'],
        ['team', null],
        ['business', '2026-05-10T00:00:00.002Z'],
        ['pro', '2026-05-10T00:00:00.003Z'],
      ]);
      expect(await endsOf(healthy.id)).toEqual([
        ['starter', '2026-04-02T00:00:00.000Z'],
        ['team', null],
      ]);

      const repairs = await k
        .selectFrom('billing_phase_repairs')
        .select(['phase_id', 'subscription_id', 'workspace_id', 'plan_code', 'ends_at', 'kept_phase_id', 'kept_plan_code'])
        .orderBy('ends_at')
        .execute();
      expect(repairs).toEqual([
        {
          phase_id: business.id,
          subscription_id: racedLastMonth.id,
          workspace_id: racedLastMonth.workspace_id,
          plan_code: 'business',
          ends_at: '2026-05-01T00:00:00.000Z',
          kept_phase_id: team.id,
          kept_plan_code: 'team',
        },
        ...[third, fourth].map((mended) => ({
          phase_id: mended.id,
          subscription_id: racedThisMonth.id,
          workspace_id: racedThisMonth.workspace_id,
          plan_code: mended.plan_code,
          ends_at: mended.starts_at,
          kept_phase_id: second.id,
          kept_plan_code: 'team',
        })),
      ]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('3 plan phase(s) of 2 subscription(s)');

      // From now on the database refuses a second open phase; a closed one, or another subscription's, is fine.
      await expect(
        k
          .insertInto('billing_subscription_phases')
          .values(phase(healthy.id, 'business', '2026-05-02T00:00:00.000Z', null))
          .execute(),
      ).rejects.toThrow(/unique/i);
      await k
        .insertInto('billing_subscription_phases')
        .values([phase(healthy.id, 'business', '2026-05-02T00:00:00.000Z', '2026-05-03T00:00:00.000Z'), phase(newId(), 'team', at, null)])
        .execute();
    } finally {
      console.warn = warn;
      await close();
    }
  });

  it('says nothing and records nothing on a database with no such subscription', async () => {
    const { db, schema, close } = await openTestDatabase(dialect, { migrate: false });
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (message: unknown) => void warnings.push(message);
    try {
      expect(await migrateToLatest(db, schema)).toContain('0014-one-open-phase');
      expect(await (db.kysely as any).selectFrom('billing_phase_repairs').selectAll().execute()).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      console.warn = warn;
      await close();
    }
  });
});
