/** Billing API against bad input: each bad usage event is refused on its own, the rest of its batch is kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/client.js';
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
import type { TestServer } from '../support/server.js';

describe.each(testDialects())('billing bad input on %s', (dialect) => {
  let server: TestServer;
  let admin: BillingAdmin;
  beforeAll(async () => {
    ({ server, admin } = await startBillingServer(dialect));
  });
  afterAll(() => server.close());

  /** A workspace on a test clock, subscribed to a plan charging one unit per unit of a new `sum` meter. */
  async function sumWorkspace() {
    const meter = uniqueMeterCode();
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Calls', aggregation: 'sum' }), 201);
    const { workspaceId } = await subscribedOnTestClock(admin.client, '2026-03-01T09:00:00.000Z', [{ meter, model: 'standard', unitAmount: '1' }]);
    const event = (id: string, value: unknown, fields: Record<string, unknown> = {}) => ({
      id,
      workspaceId,
      meter,
      timestamp: '2026-03-01T09:00:00Z',
      value,
      ...fields,
    });
    return { workspaceId, meter, event };
  }

  it('refuses values in exponent notation, with spaces or too many digits, one by one, and keeps the rest of the batch', async () => {
    const { workspaceId, meter, event } = await sumWorkspace();
    const result = await postEvents(admin.client, [
      event('huge', '1e9000000000000000'),
      event('small-exponent', '1e3'),
      event('leading-space', ' 5'),
      event('trailing-newline', '5\n'),
      event('too-many-integer-digits', '1234567890123456789'),
      event('too-many-fraction-digits', '0.0000000000001'),
      event('huge-number', 1e300),
      event('tiny-number', 5e-324),
      event('plus', '+5'),
      event('ok-string', '5'),
      event('ok-number', 0.25),
      event('ok-widest', '100000000000000000.000000000001'),
    ]);
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((rejection) => [rejection.id, rejection.code])).toEqual([
      ['huge', 'invalid_value'],
      ['small-exponent', 'invalid_value'],
      ['leading-space', 'invalid_value'],
      ['trailing-newline', 'invalid_value'],
      ['too-many-integer-digits', 'invalid_value'],
      ['too-many-fraction-digits', 'invalid_value'],
      ['huge-number', 'invalid_value'],
      ['tiny-number', 'invalid_value'],
      ['plus', 'invalid_value'],
    ]);
    const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
    expect(usage.quantities[meter]).toBe('100000000000000005.25'); // 6 decimals shown: the widest value's 1e-12 rounds away
  });

  it('refuses a bad value on the active_members meter without losing the batch', async () => {
    const { workspaceId, event } = await sumWorkspace();
    const member = (id: string, value: unknown) => ({
      id,
      workspaceId,
      meter: 'active_members',
      timestamp: '2026-03-01T09:00:00Z',
      value,
      properties: { userId: `person-${id}` },
    });
    const result = await postEvents(admin.client, [
      member('abc', 'abc'),
      member('negative', -5),
      member('exponent', '1e9000000000000000'),
      member('fine', '1'),
      event('also-fine', '2'),
    ]);
    expect(result.rejected.map((rejection) => [rejection.id, rejection.code])).toEqual([
      ['abc', 'invalid_value'],
      ['negative', 'invalid_value'],
      ['exponent', 'invalid_value'],
    ]);
    expect(result.accepted).toBe(2);
  });

  describe('a subscription starting in the past', () => {
    const put = (
      client: { request: (method: string, path: string, body: unknown) => Promise<{ status: number; body: any }> },
      workspaceId: string,
      body: Record<string, unknown>,
    ) => client.request('PUT', `/api/v1/workspaces/${workspaceId}/subscription`, body);
    const refusedForStartAt = { status: 422, body: { code: 'unprocessable', errors: [{ field: 'startAt' }] } };

    it('may start at most 35 days back and never before its workspace for a workspace admin', async () => {
      const plan = await createPlan(admin.client, { amount: '10' });
      const owner = await createUser(server.url);
      const createdAt = server.clock.now();
      const { workspaceId } = await workspaceOf(owner.client);
      try {
        for (const startAt of ['1000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', new Date(createdAt.getTime() - 60_000).toISOString()]) {
          expect(await put(owner.client, workspaceId, { plan: plan.code, startAt }), startAt).toMatchObject(refusedForStartAt);
        }
        server.clock.advance(40 * 86_400_000);
        await ok(owner.client.post('/api/v1/auth/login', { email: owner.email, password: owner.password })); // the session has expired meanwhile
        const tooFar = await put(owner.client, workspaceId, { plan: plan.code, startAt: new Date(createdAt.getTime() + 86_400_000).toISOString() });
        expect(tooFar).toMatchObject(refusedForStartAt);
        expect(tooFar.body.detail).toContain('35 days');
        expect((await owner.client.get(`/api/v1/workspaces/${workspaceId}/subscription`)).status).toBe(404);
        expect(await ok(owner.client.get(`/api/v1/workspaces/${workspaceId}/subscriptions`))).toEqual({ items: [], nextCursor: null }); // none, as a list: no error
        const stranger = await createUser(server.url);
        expect((await stranger.client.get(`/api/v1/workspaces/${workspaceId}/subscriptions`)).status).toBe(404); // not theirs to see
        expect((await ok(owner.client.get(`/api/v1/workspaces/${workspaceId}/invoices?limit=10`))).items).toEqual([]);

        const startAt = new Date(server.clock.now().getTime() - 30 * 86_400_000).toISOString();
        const subscribed = await subscribe(owner.client, workspaceId, { plan: plan.code, startAt });
        expect(subscribed).toMatchObject({ startAt });
        expect(await ok(owner.client.get(`/api/v1/workspaces/${workspaceId}/subscriptions`))).toEqual({ items: [subscribed], nextCursor: null });
      } finally {
        server.clock.set(createdAt);
      }
    });

    it('may start at most 400 days back for an operator, on a test clock too, and years before 100 are no server error', async () => {
      const plan = await createPlan(admin.client, { amount: '10' });
      const { workspaceId } = await workspaceOf(admin.client);
      const clock = await createTestClock(admin.client, '2026-03-01T09:00:00.000Z');
      for (const startAt of ['1000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2025-01-01T00:00:00Z']) {
        expect(await put(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id, startAt }), startAt).toMatchObject(refusedForStartAt);
      }
      // On the server clock, not before the workspace existed either.
      expect(await put(admin.client, workspaceId, { plan: plan.code, startAt: '2026-02-01T00:00:00Z' })).toMatchObject(refusedForStartAt);
      expect(await subscribe(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id, startAt: '2025-03-01T00:00:00Z' })).toMatchObject({
        startAt: '2025-03-01T00:00:00.000Z',
      });
    });
  });

  it('refuses a test clock or a simulation outside the years 2000 to 2099, naming the field, instead of failing later', async () => {
    const refused = (field: string) => ({ status: 400, body: { code: 'validation_failed', errors: [expect.objectContaining({ field })] } });
    for (const frozenTime of ['9999-12-31T12:00:00Z', '2100-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z']) {
      expect(await admin.client.post('/api/v1/billing/test-clocks', { frozenTime }), frozenTime).toMatchObject(refused('frozenTime'));
    }
    const clock = await createTestClock(admin.client, '2099-12-01T00:00:00Z');
    expect(await admin.client.post(`/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '9999-12-31T12:00:00Z' })).toMatchObject(
      refused('frozenTime'),
    );
    // One advance moves at most two years (it closes every period on the way, in the request): further is in steps.
    const early = await createTestClock(admin.client, '2026-01-01T00:00:00Z');
    const tooFar = await admin.client.post(`/api/v1/billing/test-clocks/${early.id}/advance`, { frozenTime: '2028-01-02T00:00:01Z' });
    expect(tooFar).toMatchObject({ status: 422, body: { errors: [expect.objectContaining({ field: 'frozenTime' })] } });
    expect((await admin.client.post(`/api/v1/billing/test-clocks/${early.id}/advance`, { frozenTime: '2028-01-02T00:00:00Z' })).status).toBe(200);
    // The last year allowed bills like any other: its December closes into January 2100.
    const plan = await createPlan(admin.client, { amount: '10' });
    const { workspaceId } = await workspaceOf(admin.client);
    await subscribe(admin.client, workspaceId, { plan: plan.code, testClockId: clock.id });
    expect((await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`))).periodEnd).toBe('2100-01-01T00:00:00.000Z');

    const simulate = (from: string, to: string) => admin.client.post('/api/v1/billing/simulate', { from, to, plans: [plan.code], workspaceIds: [workspaceId] });
    expect(await simulate('1999-06-01T00:00:00Z', '2000-06-01T00:00:00Z')).toMatchObject(refused('from'));
    expect(await simulate('2099-06-01T00:00:00Z', '2100-06-01T00:00:00Z')).toMatchObject(refused('to'));
    // At most two years in one run: a century for a few workspaces kept the server busy for seconds.
    expect(await simulate('2000-01-01T00:00:00Z', '2099-01-01T00:00:00Z')).toMatchObject(refused('to'));
    expect(await simulate('2024-01-01T00:00:00Z', '2026-01-01T00:00:01Z')).toMatchObject(refused('to'));
    expect((await simulate('2024-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).status).toBe(200);
  });

  it('simulates a workspace named twice once', async () => {
    const plan = await createPlan(admin.client, { amount: '10' });
    const { workspaceId } = await workspaceOf(admin.client);
    const body = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', plans: [plan.code] };
    const once = await ok(admin.client.post('/api/v1/billing/simulate', { ...body, workspaceIds: [workspaceId] }));
    const twice = await ok(admin.client.post('/api/v1/billing/simulate', { ...body, workspaceIds: [workspaceId, workspaceId] }));
    expect(twice).toEqual(once);
    expect(twice.workspaces).toHaveLength(1);
    expect(twice.plans).toEqual([
      { plan: plan.code, currency: 'USD', revenue: '10.00', workspaces: 1, distribution: { more: 0, less: 0, same: 0, notComparable: 1 } },
    ]);
  });
});
