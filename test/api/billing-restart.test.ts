/**
 * Billing after a restart: a node whose plan and meter caches are cold closes periods, refreshes and
 * finalizes drafts (all of it rating inside a transaction) without waiting on itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { createBillingAdmin, createPlan, createTestClock, ok, postEvents, subscribe, workspaceOf } from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Fails fast instead of hanging the suite when a node waits forever. */
function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe.each(testDialects())('billing after a restart on %s', (dialect) => {
  let first: TestServer;
  const restarted: TestServer[] = [];
  beforeAll(async () => {
    first = await startTestServer(dialect);
  });
  afterAll(async () => {
    for (const node of restarted) await node.close();
    await first.close();
  });

  /** A freshly started node on the first one's database: nothing cached. */
  async function freshNode(adminEmail: string, cookie: string | null): Promise<ApiClient> {
    const node = await startTestServer(dialect, {
      dataDir: first.config.dataDir,
      ...(dialect === 'postgres' && { databaseSchema: first.config.databaseSchema }),
    });
    restarted.push(node);
    node.config.adminEmails.add(adminEmail.toLowerCase());
    const client = new ApiClient(node.url);
    client.cookie = cookie;
    return client;
  }

  it('closes a period, shows its draft and finalizes it on nodes with cold caches', { timeout: 30_000 }, async () => {
    const admin = await createBillingAdmin(first);
    const meter = `calls_${Date.now().toString(36)}`;
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Calls', aggregation: 'sum' }), 201);
    const plan = await createPlan(admin.client, { amount: '10', charges: [{ meter, model: 'standard', unitAmount: '2' }] });
    const clock = await createTestClock(admin.client, '2026-03-01T09:00:00.000Z');
    const { workspaceId } = await workspaceOf(admin.client);
    await subscribe(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id });
    expect((await postEvents(admin.client, [{ id: 'e1', workspaceId, meter, timestamp: '2026-03-01T09:00:00Z', value: '3' }])).accepted).toBe(1);

    // Closing the period drafts its invoice, rated inside the closing transaction.
    const closer = await freshNode(admin.email, admin.client.cookie);
    const advanced = await within(
      ok(closer.post(`/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '2026-04-01T00:30:00Z' })),
      'closing on a fresh node',
    );
    expect(advanced.closed).toMatchObject({ periodsClosed: 1, invoicesFinalized: 0 });

    // Reading the invoices re-rates the draft in a transaction.
    const reader = await freshNode(admin.email, admin.client.cookie);
    const page = await within(ok(reader.get(`/api/v1/workspaces/${workspaceId}/invoices?limit=10`)), 'listing invoices on a fresh node');
    expect(page.items.map((invoice: { status: string; total: string }) => [invoice.status, invoice.total])).toEqual([['draft', '16.00']]);

    // Finalizing after the grace period rates it once more, in the finalizing transaction.
    const finalizer = await freshNode(admin.email, admin.client.cookie);
    const finalized = await within(
      ok(finalizer.post(`/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '2026-04-01T02:00:00Z' })),
      'finalizing on a fresh node',
    );
    expect(finalized.closed).toMatchObject({ periodsClosed: 0, invoicesFinalized: 1 });
    const [invoice] = (await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/invoices?limit=10`))).items;
    expect(invoice).toMatchObject({ status: 'finalized', total: '16.00' });
  });
});
