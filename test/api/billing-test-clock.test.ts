/**
 * Activity of a workspace on a test clock is stamped with the clock's time on every node: one that has
 * just started, and one on which another node has just advanced the clock. A stale stamp files the
 * activity in the wrong period (or in none), and the invoice misses it or bills it as late usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.js';
import { ApiClient, createTask } from '../support/client.js';
import { advance, closingInvoices, createBillingAdmin, createPlan, createTestClock, line, ok, subscribe, workspaceOf } from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('test-clock stamps across nodes on %s', (dialect) => {
  let first: TestServer;
  const others: TestServer[] = [];
  beforeAll(async () => {
    // The server clocks are far from the test clock: a task stamped with one lands in no billed period.
    first = await startTestServer(dialect, {}, { clock: new ManualClock(new Date('2020-01-01T00:00:00Z')) });
  });
  afterAll(async () => {
    for (const node of others) await node.close();
    await first.close();
  });

  /** Another node on the first one's database, started now: nothing cached. */
  async function otherNode(adminEmail: string, cookie: string | null): Promise<ApiClient> {
    const node = await startTestServer(
      dialect,
      { dataDir: first.config.dataDir, ...(dialect === 'postgres' && { databaseSchema: first.config.databaseSchema }) },
      { clock: new ManualClock(new Date('2020-01-01T00:00:00Z')) },
    );
    others.push(node);
    node.config.adminEmails.add(adminEmail.toLowerCase());
    const client = new ApiClient(node.url);
    client.cookie = cookie;
    return client;
  }

  it("meters a task in the period of the clock's time, on a node just started and right after another node advanced the clock", async () => {
    const admin = await createBillingAdmin(first);
    const plan = await createPlan(admin.client, { charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '1' }] });
    const clock = await createTestClock(admin.client, '2026-03-31T23:00:00.000Z');
    const { workspaceId, listId } = await workspaceOf(admin.client);
    await subscribe(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id });

    const other = await otherNode(admin.email, admin.client.cookie);
    await createTask(other, listId, 'On March 31, from a node just started');
    // The first node advances the clock into April (closing March); the other node writes at once.
    await advance(admin.client, clock.id, '2026-04-01T01:30:00.000Z');
    await createTask(other, listId, 'On April 1, right after the advance');

    const [march] = await closingInvoices(admin.client, workspaceId);
    expect(march).toMatchObject({ periodStart: '2026-03-31T23:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z', status: 'finalized' });
    expect(line(march, 'tasks_created')).toMatchObject({ quantity: '1', amount: '1.00' });
    const april = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
    expect(april).toMatchObject({ periodStart: '2026-04-01T00:00:00.000Z', quantities: { tasks_created: '1' } });
    // Nothing is left over as late usage of March for April's invoice to bill.
    expect(april.lines.filter((l: { kind: string }) => l.kind === 'adjustment')).toEqual([]);
  });
});
