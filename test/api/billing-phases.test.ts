/**
 * A subscription left with two open plan phases by the race fixed in eb00a64, mended by migration 0014: the invoice
 * already issued re-rates to what it says (no "late usage" adjustment follows), and the next period bills one plan.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as migration0014 } from '../../src/server/db/migrations/0014-one-open-phase.js';
import { newId } from '../../src/server/ids.js';
import {
  advance,
  closingInvoices,
  createPlan,
  createTestClock,
  ok,
  startBillingServer,
  subscribe,
  workspaceOf,
  type BillingAdmin,
} from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import type { TestServer } from '../support/server.js';

describe.each(testDialects())('two open plan phases mended by migration 0014, on %s', (dialect) => {
  let server: TestServer;
  let admin: BillingAdmin;
  beforeAll(async () => {
    ({ server, admin } = await startBillingServer(dialect, { farClock: true }));
  });
  afterAll(() => server.close());

  it('leaves the issued invoice as it re-rates, and bills the open period under the plan billing took as in force', async () => {
    const starter = await createPlan(admin.client, { name: 'Starter', amount: '30' });
    const team = await createPlan(admin.client, { name: 'Team', amount: '60' });
    const business = await createPlan(admin.client, { name: 'Business', amount: '90' });
    const clock = await createTestClock(admin.client, '2026-04-01T00:00:00Z');
    const { workspaceId } = await workspaceOf(admin.client);
    const subscription = await subscribe(admin.client, workspaceId, { plan: starter.code, testClockId: clock.id });
    await advance(admin.client, clock.id, '2026-04-16T00:00:00Z');
    await ok(admin.client.request('PUT', `/api/v1/workspaces/${workspaceId}/subscription`, { plan: team.code }));

    // The state the race left (a second change's phase, also open), as it was before the index existed.
    const db = server.app.listo.db.kysely;
    await db.schema.dropIndex('billing_phases_one_open').execute();
    await db.schema.dropTable('billing_phase_repairs').execute();
    await db
      .insertInto('billing_subscription_phases')
      .values({
        id: newId(),
        subscription_id: subscription.id,
        plan_code: business.code,
        starts_at: '2026-04-16T00:00:00.000Z',
        ends_at: null,
        trial: 0,
        created_at: '2026-04-16T00:00:00.001Z',
      })
      .execute();
    await advance(admin.client, clock.id, '2026-05-01T02:00:00Z');
    const [april] = await closingInvoices(admin.client, workspaceId);
    // Starter for half of April, then Team and Business both for the other half.
    expect([april.status, april.total]).toEqual(['finalized', '90.00']);

    const warn = console.warn;
    console.warn = () => {};
    try {
      await migration0014(db);
    } finally {
      console.warn = warn;
    }
    const repairs = await sql<{
      plan_code: string;
      ends_at: string;
      kept_plan_code: string;
    }>`select plan_code, ends_at, kept_plan_code from billing_phase_repairs`.execute(db);
    expect(repairs.rows).toEqual([{ plan_code: business.code, ends_at: '2026-05-01T00:00:00.000Z', kept_plan_code: team.code }]);

    // April re-rates to what it says; the subscription shows Team, the plan billed from May on.
    expect((await server.app.billing.invoices.rerateInvoice(april.id)).total).toBe('90.00');
    const shown = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/subscription`));
    expect(shown.plan).toBe(team.code);
    await advance(admin.client, clock.id, '2026-06-01T02:00:00Z');
    const [, may] = await closingInvoices(admin.client, workspaceId);
    expect(may.lines.map((line: { kind: string; amount: string }) => [line.kind, line.amount])).toEqual([['fixed_fee', '60.00']]);
  });
});
