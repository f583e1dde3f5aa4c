/**
 * Closing periods for many subscriptions: one that cannot be rated does not keep the others open. Once a
 * cancelled subscription's final invoice is issued, usage of its time is refused, not accepted and never billed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingAdmin, createPlan, createTestClock, invoicesOf, ok, postEvents, subscribe, workspaceOf } from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('closing periods on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('closes and finalizes every other subscription when one of them fails to rate, and reports the failure', async () => {
    const admin = await createBillingAdmin(server);
    const meter = `calls_${Date.now().toString(36)}`;
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Calls', aggregation: 'sum' }), 201);
    const plan = await createPlan(admin.client, { amount: '10', charges: [{ meter, model: 'standard', unitAmount: '1' }] });
    const clock = await createTestClock(admin.client, '2026-03-01T09:00:00.000Z');
    // The poisoned subscription is created first, so it is the first one the job meets.
    const poisoned = await workspaceOf(admin.client);
    await subscribe(admin.client, poisoned.workspaceId, { plan: plan.code, testClockId: clock.id });
    const healthy = await workspaceOf(admin.client);
    await subscribe(admin.client, healthy.workspaceId, { plan: plan.code, testClockId: clock.id });
    const event = (id: string, workspaceId: string) => ({ id, workspaceId, meter, timestamp: '2026-03-01T09:00:00Z', value: '2' });
    expect((await postEvents(admin.client, [event('p1', poisoned.workspaceId), event('h1', healthy.workspaceId)])).accepted).toBe(2);
    // Usage no decimal can read (as a value ingested before values were checked could be): rating it throws.
    const db = server.app.listo.db.kysely;
    await db.updateTable('billing_rollups').set({ sum_value: 'not a number' }).where('workspace_id', '=', poisoned.workspaceId).execute();
    await db.updateTable('billing_events').set({ measure: 'not a number' }).where('workspace_id', '=', poisoned.workspaceId).execute();

    const advanced = await ok(admin.client.post(`/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '2026-04-01T02:00:00Z' }));
    expect(advanced.closed).toEqual({ periodsClosed: 1, invoicesFinalized: 1, skippedBusy: 0, failed: 1 });
    expect((await invoicesOf(admin.client, healthy.workspaceId)).map((invoice) => [invoice.status, invoice.total])).toEqual([['finalized', '12.00']]);
    expect(await invoicesOf(admin.client, poisoned.workspaceId)).toEqual([]);
    // The poisoned period stays due: once its data is mended, the next run closes it.
    await db.updateTable('billing_rollups').set({ sum_value: '2' }).where('workspace_id', '=', poisoned.workspaceId).execute();
    await db.updateTable('billing_events').set({ measure: '2' }).where('workspace_id', '=', poisoned.workspaceId).execute();
    const again = await ok(admin.client.post(`/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '2026-04-01T02:01:00Z' }));
    expect(again.closed).toMatchObject({ periodsClosed: 1, invoicesFinalized: 1, failed: 0 });
    expect((await invoicesOf(admin.client, poisoned.workspaceId)).map((invoice) => [invoice.status, invoice.total])).toEqual([['finalized', '12.00']]);
  });

  it("refuses usage of a cancelled subscription's time once its final invoice is issued, rather than accepting it unbilled", async () => {
    // On the server clock: an ended subscription leaves its workspace on no test clock.
    server.clock.set(new Date('2026-04-01T00:00:00Z'));
    const meter = `calls_${Date.now().toString(36)}`;
    const operator = async () => (await createBillingAdmin(server)).client; // a fresh session after each jump of weeks
    let admin = await operator();
    await ok(admin.post('/api/v1/billing/meters', { code: meter, name: 'Calls', aggregation: 'sum' }), 201);
    const plan = await createPlan(admin, { amount: '10', charges: [{ meter, model: 'standard', unitAmount: '1' }] });
    const { workspaceId } = await workspaceOf(admin);
    await subscribe(admin, workspaceId, { plan: plan.code });
    const call = (id: string, timestamp: string, value: string) => postEvents(admin, [{ id, workspaceId, meter, timestamp, value }]);
    const close = () => server.app.billing.job.closeDuePeriods({ testClockId: null, now: server.clock.now() });

    server.clock.set(new Date('2026-04-10T00:00:00Z'));
    expect((await call('on-time', '2026-04-10T00:00:00Z', '5')).accepted).toBe(1);
    await ok(admin.delete(`/api/v1/workspaces/${workspaceId}/subscription`));

    // In the final invoice's grace period, late usage still lands on it.
    server.clock.set(new Date('2026-05-01T00:30:00Z'));
    admin = await operator();
    await close();
    expect((await call('in-grace', '2026-04-20T00:00:00Z', '7')).accepted).toBe(1);
    server.clock.set(new Date('2026-05-01T01:30:00Z'));
    await close();

    // After it, nothing would ever bill it: refused, saying why.
    const late = await call('after-final', '2026-04-21T00:00:00Z', '100');
    expect(late).toMatchObject({ accepted: 0, rejected: [{ id: 'after-final', code: 'subscription_ended' }] });

    server.clock.set(new Date('2026-07-01T00:00:00Z'));
    admin = await operator();
    await close();
    expect((await invoicesOf(admin, workspaceId)).map((invoice) => [invoice.status, invoice.total])).toEqual([['finalized', '22.00']]);
  });
});
