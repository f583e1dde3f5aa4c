/** `listo billing close` and `listo billing simulate` against a running server's database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBillingCommand } from '../../src/server/billing/billing.cli.js';
import { runCaptured } from '../support/cli.js';
import { createTask } from '../support/client.js';
import { createBillingAdmin, createPlan, createTestClock, invoicesOf, ok, subscribe, workspaceOf } from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('billing CLI on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  const run = async (args: string[]) => {
    const env = {
      LISTO_DATA_DIR: server.config.dataDir,
      LOG_LEVEL: 'silent',
      ...(server.config.databaseUrl ? { DATABASE_URL: server.config.databaseUrl, DATABASE_SCHEMA: server.config.databaseSchema ?? '' } : {}),
    };
    return runCaptured((io) => runBillingCommand(args, env, io));
  };

  it('closes ended periods at a given time, with a progress bar, and simulates plans', async () => {
    const admin = await createBillingAdmin(server);
    const current = await createPlan(admin.client, { amount: '10' });
    const perTask = await createPlan(admin.client, { charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '2' }] });
    const { workspaceId, listId } = await workspaceOf(admin.client);
    await subscribe(admin.client, workspaceId, { plan: current.code }); // on the server clock: 2026-03-01T09:00Z
    for (const title of ['a', 'b', 'c']) await createTask(admin.client, listId, title);

    const early = await run(['close', '--at', '2026-03-31T23:00:00Z']);
    expect(early).toMatchObject({ code: 0, stdout: 'Closed 0 period(s), finalized 0 invoice(s)\n' });
    const closed = await run(['close', '--at', '2026-04-01T01:30:00Z']);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toBe('Closed 1 period(s), finalized 1 invoice(s)\n');
    expect(closed.stderr).toContain('Closing [##############################]');
    const [march] = await invoicesOf(admin.client, workspaceId);
    expect(march).toMatchObject({ status: 'finalized', total: '10.00', finalizedAt: '2026-04-01T01:30:00.000Z' });
    expect((await run(['close', '--at', '2026-04-01T01:30:00Z'])).stdout).toBe('Closed 0 period(s), finalized 0 invoice(s)\n');

    const simulated = await run([
      'simulate',
      '--from',
      '2026-03-01T00:00:00Z',
      '--to',
      '2026-04-01T00:00:00Z',
      '--plans',
      `${perTask.code},${current.code}`,
      '--workspaces',
      workspaceId,
    ]);
    expect(simulated.code).toBe(0);
    expect(simulated.stderr).toContain('Simulating');
    const result = JSON.parse(simulated.stdout);
    expect(result.workspaces).toEqual([
      { workspaceId, currentPlan: current.code, current: { currency: 'USD', amount: '10.00' }, byPlan: { [perTask.code]: '6.00', [current.code]: '10.00' } },
    ]);
    expect(result.plans).toEqual([
      { plan: perTask.code, currency: 'USD', revenue: '6.00', workspaces: 1, distribution: { more: 0, less: 1, same: 0, notComparable: 0 } },
      { plan: current.code, currency: 'USD', revenue: '10.00', workspaces: 1, distribution: { more: 0, less: 0, same: 1, notComparable: 0 } },
    ]);
    // The same through the API, for the web page.
    expect(
      await ok(
        admin.client.post('/api/v1/billing/simulate', {
          from: '2026-03-01T00:00:00Z',
          to: '2026-04-01T00:00:00Z',
          plans: [perTask.code, current.code],
          workspaceIds: [workspaceId],
        }),
      ),
    ).toEqual(result);
  });

  it('answers wrong arguments with one line and the usage (exit 2), and refusals with their message (exit 1), never a stack trace', async () => {
    const usage = (message: string) => ({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^listo billing: ${message}[^\\n]*\\n\\nUsage:`)) });
    expect(await run(['close', '--foo'])).toEqual(usage("Unknown option '--foo'"));
    expect(await run(['close', '--at'])).toEqual(usage("Option '--at <value>' argument missing"));
    for (const at of ['1', '2026-04-01', '2026-04-01T00:00:00', 'tomorrow'])
      expect(await run(['close', '--at', at]), at).toEqual(usage('--at must be an ISO time'));
    expect(await run(['simulate', '--from', '2026-03-01T00:00:00Z'])).toEqual(usage('--to: '));
    // One subcommand's options are not another's: refused, not ignored.
    expect(await run(['close', '--plans', 'pro', '--from', '2026-03-01T00:00:00Z'])).toEqual(usage("Unknown option '--plans'"));
    expect(await run(['simulate', '--test-clock', 'x', '--from', '2026-03-01T00:00:00Z'])).toEqual(usage("Unknown option '--test-clock'"));
    expect(await run(['simulate', '--at', '2026-03-01T00:00:00Z'])).toEqual(usage("Unknown option '--at'"));
    expect(await run(['nonsense'])).toEqual(usage('Unknown billing command: nonsense'));
    expect(await run(['close', 'extra'])).toEqual(usage('Unexpected argument'));

    expect(await run(['close', '--test-clock', 'nonexistent'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'listo billing: No test clock with the id nonexistent\n',
    });
    const simulated = await run(['simulate', '--from', '2026-03-01T00:00:00Z', '--to', '2026-04-01T00:00:00Z', '--plans', 'nope']);
    expect(simulated).toEqual({ code: 1, stdout: '', stderr: 'listo billing: Plan not found: nope\n' });
  });

  it('closes periods of a plan with a custom meter from a fresh process (cold caches)', async () => {
    const admin = await createBillingAdmin(server);
    const meter = `calls_${Date.now().toString(36)}`;
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Calls', aggregation: 'sum' }), 201);
    const plan = await createPlan(admin.client, { amount: '10', charges: [{ meter, model: 'standard', unitAmount: '1' }] });
    const clock = await createTestClock(admin.client, '2026-03-01T09:00:00.000Z');
    const { workspaceId } = await workspaceOf(admin.client);
    await subscribe(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id });
    const closed = await run(['close', '--test-clock', clock.id, '--at', '2026-04-01T02:00:00Z']);
    expect(closed).toMatchObject({ code: 0, stdout: 'Closed 1 period(s), finalized 1 invoice(s)\n' });
    expect((await invoicesOf(admin.client, workspaceId)).map((invoice) => [invoice.status, invoice.total])).toEqual([['finalized', '10.00']]);
  });

  it("closes a test clock's subscriptions at the clock's time when no --at is given, not the server's", async () => {
    const admin = await createBillingAdmin(server);
    const plan = await createPlan(admin.client, { amount: '10' });
    // The server's clock reads March 1; this workspace lives on April 1, 02:00, its March subscription not yet closed.
    const clock = await createTestClock(admin.client, '2026-04-01T02:00:00.000Z');
    const { workspaceId } = await workspaceOf(admin.client);
    await subscribe(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id, startAt: '2026-03-01T00:00:00Z' });
    expect(await invoicesOf(admin.client, workspaceId)).toEqual([]);

    const closed = await run(['close', '--test-clock', clock.id]);
    expect(closed).toMatchObject({ code: 0, stdout: 'Closed 1 period(s), finalized 1 invoice(s)\n' });
    expect((await invoicesOf(admin.client, workspaceId)).map((invoice) => [invoice.status, invoice.total, invoice.finalizedAt])).toEqual([
      ['finalized', '10.00', '2026-04-01T02:00:00.000Z'],
    ]);
  });
});
