/** Billing API: meters, usage events (duplicates, rejections, who may post), plans, subscriptions' access rules. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser } from '../support/client.js';
import {
  type BillingAdmin,
  createPlan,
  createTestClock,
  ok,
  postEvents,
  startBillingServer,
  subscribe,
  subscribedOnTestClock,
  uniqueMeterCode,
  workspaceOf,
} from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import { addToWorkspace, createTeamWorkspace } from '../support/sharing.js';
import type { TestServer } from '../support/server.js';

const meterCode = (prefix = 'api_calls') => uniqueMeterCode(prefix);

describe.each(testDialects())('billing API on %s', (dialect) => {
  let server: TestServer;
  let admin: BillingAdmin;
  beforeAll(async () => {
    ({ server, admin } = await startBillingServer(dialect));
  });
  afterAll(() => server.close());

  const meteredWorkspace = (frozenTime?: string, charges?: unknown[]) => subscribedOnTestClock(admin.client, frozenTime, charges);

  describe('meters', () => {
    it('lists the built-in meters and creates custom ones (administrators only)', async () => {
      const list = await ok(admin.client.get('/api/v1/billing/meters'));
      expect(list.items.filter((m: { builtIn: boolean }) => m.builtIn).map((m: { code: string }) => m.code)).toEqual([
        'active_members',
        'tasks_created',
        'tasks_completed',
        'comments',
        'storage_bytes',
      ]);
      const code = meterCode();
      const created = await ok(
        admin.client.post('/api/v1/billing/meters', { code, name: 'API calls', aggregation: 'sum', property: 'calls', filter: { region: 'eu' } }),
        201,
      );
      expect(created).toEqual({ code, name: 'API calls', aggregation: 'sum', property: 'calls', filter: { region: 'eu' }, builtIn: false, description: null });

      const someone = await createUser(server.url);
      expect((await someone.client.post('/api/v1/billing/meters', { code: meterCode(), name: 'x', aggregation: 'count' })).status).toBe(403);
      expect((await admin.client.post('/api/v1/billing/meters', { code, name: 'Again', aggregation: 'count' })).body).toMatchObject({ code: 'conflict' });
      expect((await admin.client.post('/api/v1/billing/meters', { code: 'comments', name: 'Mine', aggregation: 'count' })).body).toMatchObject({
        code: 'conflict',
      });
      const noProperty = await admin.client.post('/api/v1/billing/meters', { code: meterCode(), name: 'Users', aggregation: 'unique_count' });
      expect(noProperty.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'property' }] });
      expect((await admin.client.post('/api/v1/billing/meters', { code: 'Bad Code', name: 'x', aggregation: 'count' })).status).toBe(400);
      expect((await admin.client.post('/api/v1/billing/meters', { code: meterCode(), name: 'x', aggregation: 'median' })).status).toBe(400);
    });
  });

  describe('events', () => {
    it('accepts a batch, counts a duplicate once and reports it, and rejects bad events one by one', async () => {
      const sum = meterCode();
      const users = meterCode('users');
      await ok(admin.client.post('/api/v1/billing/meters', { code: sum, name: 'Calls', aggregation: 'sum' }), 201);
      await ok(admin.client.post('/api/v1/billing/meters', { code: users, name: 'Users', aggregation: 'unique_count', property: 'user' }), 201);
      const { workspaceId } = await meteredWorkspace('2026-03-01T09:00:00.000Z', [{ meter: sum, model: 'standard', unitAmount: '1' }]);
      const event = (id: string, fields: Record<string, unknown> = {}) => ({
        id,
        workspaceId,
        meter: sum,
        timestamp: '2026-03-01T09:00:00Z',
        value: '2.5',
        ...fields,
      });

      const first = await postEvents(admin.client, [
        event('e1'),
        event('e2', { value: 4 }),
        event('e2', { value: 1000 }), // same id in the same batch: a duplicate
        event('e3', { meter: 'no_such_meter' }),
        event('e4', { timestamp: '2026-01-24T09:00:00Z' }), // 36 days back
        event('e5', { timestamp: '2026-03-01T09:06:00Z' }), // 6 minutes ahead
        event('e6', { value: 'abc' }),
        event('e7', { value: -1 }),
        event('e8', { value: undefined }),
        event('e9', { meter: users, properties: {} }),
        event('e10', { meter: 'active_members', properties: { name: 'no id' } }),
        event('e11', { workspaceId: '01a00000-0000-7000-8000-000000000000' }),
        event('e12', { timestamp: '2026-01-25T09:00:01Z', value: 1 }), // just inside 35 days
        event('e13', { timestamp: '2026-03-01T09:05:00Z', value: 1 }), // exactly 5 minutes ahead
        event('e14', { meter: users, properties: { user: 'ann' } }),
        event('e15', { meter: 'active_members', properties: { userId: 'someone-gone' } }),
      ]);
      expect(first.accepted).toBe(6);
      expect(first.duplicates).toBe(1);
      expect(first.rejected.map((r) => [r.id, r.code])).toEqual([
        ['e3', 'unknown_meter'],
        ['e4', 'timestamp_out_of_window'],
        ['e5', 'timestamp_out_of_window'],
        ['e6', 'invalid_value'],
        ['e7', 'invalid_value'],
        ['e8', 'invalid_value'],
        ['e9', 'missing_property'],
        ['e10', 'missing_property'],
        ['e11', 'unknown_workspace'],
      ]);

      const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
      expect(usage.quantities[sum]).toBe('7.5'); // 2.5 + 4 + 1 (e13); e12 is before the subscription started
      // Replaying is harmless: every id is a duplicate, nothing changes, even those now refused for another reason.
      const replay = await postEvents(admin.client, [event('e1', { value: '99' }), event('e2'), event('e14', { meter: users, properties: { user: 'bob' } })]);
      expect(replay).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
      expect((await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`))).quantities[sum]).toBe('7.5');
    });

    it('takes batches of at most 1,000 events', async () => {
      const { workspaceId } = await meteredWorkspace();
      const events = Array.from({ length: 1001 }, (_, i) => ({ id: `big-${i}`, workspaceId, meter: 'comments', timestamp: '2026-03-01T08:00:00Z' }));
      expect((await admin.client.post('/api/v1/billing/events', { events })).status).toBe(400);
      expect(await postEvents(admin.client, events.slice(0, 1000))).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
      const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
      expect(usage).toMatchObject({ periodStart: '2026-03-01T09:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z' });
    });

    it("takes events from the workspace's own API tokens (workspace admins), for that workspace only", async () => {
      const owner = await createUser(server.url, 'Owner');
      const team = await createTeamWorkspace(owner.client);
      const member = await createUser(server.url, 'Member');
      await addToWorkspace(owner.client, team.id, member, 'member');
      const elsewhere = await workspaceOf(admin.client);

      const token = (await ok(owner.client.post('/api/v1/tokens', { name: 'meter' }), 201)).token as string;
      const script = new ApiClient(server.url, null);
      script.bearer = token;
      const now = server.clock.now().toISOString();
      const result = await postEvents(script, [
        { id: 't1', workspaceId: team.id, meter: 'comments', timestamp: now },
        { id: 't2', workspaceId: elsewhere.workspaceId, meter: 'comments', timestamp: now },
      ]);
      expect(result).toEqual({ accepted: 1, duplicates: 0, rejected: [{ id: 't2', code: 'unknown_workspace', message: expect.any(String) }] });

      const memberToken = (await ok(member.client.post('/api/v1/tokens', { name: 'meter' }), 201)).token as string;
      script.bearer = memberToken;
      expect((await postEvents(script, [{ id: 't3', workspaceId: team.id, meter: 'comments', timestamp: now }])).rejected).toHaveLength(1);
      // A session is not enough (only operators post with one).
      expect(
        (await owner.client.post('/api/v1/billing/events', { events: [{ id: 't4', workspaceId: team.id, meter: 'comments', timestamp: now }] })).status,
      ).toBe(403);
    });
  });

  describe('plans', () => {
    it('validates plans: money as decimal strings, known meters, tiers, one charge per meter', async () => {
      const code = `team-${Date.now().toString(36)}`;
      const body = {
        code,
        name: 'Team',
        interval: 'month',
        currency: 'EUR',
        amount: '6.50',
        payInAdvance: true,
        trialDays: 14,
        minimum: '10',
        activeMembersWindowDays: 14,
        charges: [
          {
            meter: 'active_members',
            model: 'volume',
            tiers: [
              { upTo: 10, unitAmount: '8' },
              { upTo: null, unitAmount: '6' },
            ],
          },
          {
            meter: 'tasks_created',
            model: 'graduated',
            tiers: [
              { upTo: 100, unitAmount: '0' },
              { upTo: null, unitAmount: '0.02', flatAmount: '1' },
            ],
          },
          { meter: 'storage_bytes', model: 'package', packageSize: 1_000_000_000, packageAmount: '0.50', freeUnits: 5_000_000_000 },
          { meter: 'comments', model: 'standard', unitAmount: '0.001', minimum: '1' },
        ],
      };
      const created = await ok(admin.client.post('/api/v1/billing/plans', body), 201);
      expect(created).toMatchObject(body);
      expect(await ok(admin.client.get(`/api/v1/billing/plans/${code}`))).toMatchObject({ code, amount: '6.50' });
      expect((await admin.client.post('/api/v1/billing/plans', body)).body).toMatchObject({ code: 'conflict' });

      const invalid = async (change: Record<string, unknown>) =>
        (await admin.client.post('/api/v1/billing/plans', { ...body, code: `${code}-x`, ...change })).body;
      expect(await invalid({ amount: 6.5 })).toMatchObject({ code: 'validation_failed', errors: [{ field: 'amount' }] });
      expect(await invalid({ amount: '6.5.0' })).toMatchObject({ code: 'validation_failed' });
      expect(await invalid({ interval: 'week' })).toMatchObject({ code: 'validation_failed' });
      expect(await invalid({ currency: 'euro' })).toMatchObject({ code: 'validation_failed' });
      expect(await invalid({ charges: [{ meter: 'nope', model: 'standard', unitAmount: '1' }] })).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'charges.0.meter' }],
      });
      expect(await invalid({ charges: [{ meter: 'comments', model: 'volume', tiers: [{ upTo: 5, unitAmount: '1' }] }] })).toMatchObject({
        code: 'validation_failed',
      });
      expect(
        await invalid({
          charges: [
            { meter: 'comments', model: 'standard', unitAmount: '1' },
            { meter: 'comments', model: 'standard', unitAmount: '2' },
          ],
        }),
      ).toMatchObject({ code: 'validation_failed' });
      const someone = await createUser(server.url);
      expect((await someone.client.post('/api/v1/billing/plans', { ...body, code: `${code}-y` })).status).toBe(403);
    });
  });

  describe('subscriptions', () => {
    it('belong to the workspace: its admins and operators see them, others do not', async () => {
      const owner = await createUser(server.url, 'Owner');
      const team = await createTeamWorkspace(owner.client);
      const member = await createUser(server.url, 'Member');
      await addToWorkspace(owner.client, team.id, member, 'member');
      const stranger = await createUser(server.url, 'Stranger');
      const plan = await createPlan(admin.client, { amount: '5' });

      const sub = await subscribe(owner.client, team.id, { plan: plan.code, timezone: 'Europe/Paris' });
      expect(sub).toMatchObject({ plan: plan.code, status: 'active', timezone: 'Europe/Paris', anchor: 'calendar', cancelAtPeriodEnd: false });
      expect((await member.client.get(`/api/v1/workspaces/${team.id}/subscription`)).status).toBe(403);
      expect((await stranger.client.get(`/api/v1/workspaces/${team.id}/subscription`)).status).toBe(404);
      expect((await stranger.client.get(`/api/v1/workspaces/${team.id}/invoices`)).status).toBe(404);
      expect((await admin.client.get(`/api/v1/workspaces/${team.id}/usage`)).status).toBe(200);
      // Only operators attach test clocks and set tax rates.
      const clock = await createTestClock(admin.client, server.clock.now().toISOString());
      expect((await owner.client.request('PUT', `/api/v1/workspaces/${team.id}/subscription`, { plan: plan.code, testClockId: clock.id })).status).toBe(403);
      expect((await owner.client.request('PUT', `/api/v1/workspaces/${team.id}/billing-settings`, { taxRate: '0.2' })).status).toBe(403);
      expect(await ok(admin.client.request('PUT', `/api/v1/workspaces/${team.id}/billing-settings`, { taxRate: '0.2' }))).toEqual({
        workspaceId: team.id,
        taxRate: '0.2',
      });
      expect((await admin.client.request('PUT', `/api/v1/workspaces/${team.id}/billing-settings`, { taxRate: '1.5' })).status).toBe(400);
      // Unknown plan, future start, and settings that cannot change on a running subscription.
      expect((await owner.client.request('PUT', `/api/v1/workspaces/${team.id}/subscription`, { plan: 'no-such-plan' })).status).toBe(404);
      expect((await owner.client.request('PUT', `/api/v1/workspaces/${team.id}/subscription`, { plan: plan.code, timezone: 'UTC' })).body).toMatchObject({
        code: 'unprocessable',
      });
      const other = await createUser(server.url);
      const { workspaceId } = await workspaceOf(other.client);
      expect(
        (await other.client.request('PUT', `/api/v1/workspaces/${workspaceId}/subscription`, { plan: plan.code, startAt: '2099-01-01T00:00:00Z' })).body,
      ).toMatchObject({
        code: 'unprocessable',
        errors: [{ field: 'startAt' }],
      });
    });

    it('refuses a change to a plan in another currency or interval', async () => {
      const monthly = await createPlan(admin.client, { amount: '5' });
      const yearly = await createPlan(admin.client, { amount: '50', interval: 'year' });
      const euros = await createPlan(admin.client, { amount: '5', currency: 'EUR' });
      const { workspaceId } = await workspaceOf(admin.client);
      await subscribe(admin.client, workspaceId, { plan: monthly.code });
      for (const plan of [yearly, euros]) {
        expect((await admin.client.request('PUT', `/api/v1/workspaces/${workspaceId}/subscription`, { plan: plan.code })).body).toMatchObject({
          code: 'unprocessable',
          errors: [{ field: 'plan' }],
        });
      }
    });
  });
});
