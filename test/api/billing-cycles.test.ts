/**
 * Billing cycles driven by test clocks: month ends, a leap day, daylight saving in Europe/Paris,
 * upgrades and downgrades mid-period, trials, cancellation, late events before and after
 * finalization, tracing lines to events, the printable view and credit notes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../support/client.js';
import {
  advance,
  type BillingAdmin,
  closingInvoices,
  createPlan,
  createTestClock,
  invoicesOf,
  line,
  type LineView,
  ok,
  postEvents,
  startBillingServer,
  subscribe,
  workspaceOf,
} from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import type { TestServer } from '../support/server.js';

const amounts = (invoice: { lines: Array<{ kind: string; amount: string }> }) => invoice.lines.map((l) => [l.kind, l.amount]);

describe.each(testDialects())('billing cycles on %s', (dialect) => {
  let server: TestServer;
  let admin: BillingAdmin;
  beforeAll(async () => {
    ({ server, admin } = await startBillingServer(dialect, { farClock: true }));
  });
  afterAll(() => server.close());

  async function setup(frozenTime: string, plan: Record<string, unknown>, subscription: Record<string, unknown> = {}) {
    const created = await createPlan(admin.client, plan);
    const clock = await createTestClock(admin.client, frozenTime);
    const { workspaceId, listId } = await workspaceOf(admin.client);
    const sub = await subscribe(admin.client, workspaceId, { plan: created.code, testClockId: clock.id, ...subscription });
    return { plan: created, clock, workspaceId, listId, sub };
  }

  it('bills anniversary periods across month ends and a leap year: Jan 31 → Feb 29 → Mar 31 → Apr 30', async () => {
    const { clock, workspaceId } = await setup('2028-01-31T10:00:00Z', { amount: '31' }, { anchor: 'anniversary' });
    await advance(admin.client, clock.id, '2028-04-30T11:30:00Z');
    const invoices = await closingInvoices(admin.client, workspaceId);
    expect(invoices.map((i) => [i.periodStart, i.periodEnd, i.status, i.total])).toEqual([
      ['2028-01-31T10:00:00.000Z', '2028-02-29T10:00:00.000Z', 'finalized', '31.00'],
      ['2028-02-29T10:00:00.000Z', '2028-03-31T10:00:00.000Z', 'finalized', '31.00'],
      ['2028-03-31T10:00:00.000Z', '2028-04-30T10:00:00.000Z', 'finalized', '31.00'],
    ]);
    const numbers: number[] = invoices.map((i) => Number(i.number.slice(4)));
    const firstNumber = numbers[0]!;
    expect(numbers).toEqual([firstNumber, firstNumber + 1, firstNumber + 2]);
    // Running the close again (or advancing by nothing) changes nothing.
    await advance(admin.client, clock.id, '2028-04-30T11:30:00Z');
    expect(await closingInvoices(admin.client, workspaceId)).toHaveLength(3);
  });

  it('counts the leap day as a day of February for active members (fair billing)', async () => {
    const { clock, workspaceId, listId } = await setup('2028-02-01T08:00:00Z', {
      charges: [{ meter: 'active_members', model: 'standard', unitAmount: '29' }],
    });
    await createTask(admin.client, listId, 'Plan the month'); // active Feb 1–28 (a 28-day window)
    await advance(admin.client, clock.id, '2028-02-28T12:00:00Z');
    expect((await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`))).quantities.active_members).toBe('0.965517'); // 28/29
    await advance(admin.client, clock.id, '2028-02-29T12:00:00Z');
    await createTask(admin.client, listId, 'Leap day');
    await advance(admin.client, clock.id, '2028-03-01T01:30:00Z');
    const [february] = await closingInvoices(admin.client, workspaceId);
    expect(line(february, 'active_members')).toMatchObject({ quantity: '1', amount: '29.00' });
  });

  it('computes periods in Europe/Paris across the daylight-saving change, and files events by local time', async () => {
    const { clock, workspaceId } = await setup(
      '2026-02-28T23:00:00Z', // March 1, 00:00 in Paris (UTC+1)
      {
        charges: [
          { meter: 'tasks_created', model: 'standard', unitAmount: '1' },
          { meter: 'active_members', model: 'standard', unitAmount: '31' },
        ],
      },
      { timezone: 'Europe/Paris' },
    );
    await postEvents(admin.client, [
      { id: 'm1', workspaceId, meter: 'active_members', timestamp: '2026-02-28T23:00:00Z', properties: { userId: 'imported-1' } },
    ]);
    // Clocks go forward on March 29: March ends at midnight CEST, 22:00 UTC.
    await advance(admin.client, clock.id, '2026-03-31T22:31:00Z');
    const events = await postEvents(admin.client, [
      { id: 'late-march', workspaceId, meter: 'tasks_created', timestamp: '2026-03-31T21:30:00Z' }, // 23:30 on March 31 in Paris
      { id: 'early-april', workspaceId, meter: 'tasks_created', timestamp: '2026-03-31T22:30:00Z' }, // 00:30 on April 1 in Paris
    ]);
    expect(events.accepted).toBe(2);
    await advance(admin.client, clock.id, '2026-03-31T23:30:00Z');
    const [march] = await closingInvoices(admin.client, workspaceId);
    expect(march).toMatchObject({ status: 'finalized', periodStart: '2026-02-28T23:00:00.000Z', periodEnd: '2026-03-31T22:00:00.000Z' });
    expect(line(march, 'tasks_created')).toMatchObject({ quantity: '1', amount: '1.00' });
    expect(line(march, 'active_members')).toMatchObject({ quantity: '0.903226', amount: '28.00' }); // active March 1–28 of 31 days
    const april = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
    expect(april).toMatchObject({ periodStart: '2026-03-31T22:00:00.000Z', periodEnd: '2026-04-30T22:00:00.000Z', quantities: { tasks_created: '1' } });
  });

  describe('plan changes mid-period, prorated by day', () => {
    const basic = { name: 'Basic', amount: '30', payInAdvance: true, charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.10' }] };
    const pro = { name: 'Pro', amount: '60', payInAdvance: true, charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.05' }] };

    it('upgrades: credits the unused days of the old fee, charges the new plan for the rest, each plan rates its own usage', async () => {
      const { clock, workspaceId, listId } = await setup('2026-04-01T00:00:00Z', basic);
      const proPlan = await createPlan(admin.client, pro);
      const [opening] = await invoicesOf(admin.client, workspaceId);
      expect(opening).toMatchObject({ kind: 'opening', status: 'finalized', total: '30.00', periodStart: '2026-04-01T00:00:00.000Z' });

      await createTask(admin.client, listId, 'one');
      await createTask(admin.client, listId, 'two');
      await advance(admin.client, clock.id, '2026-04-11T12:00:00Z'); // day 11 of 30: 20 days left, the change's day included
      const changed = await subscribe(admin.client, workspaceId, { plan: proPlan.code }, 200);
      expect(changed).toMatchObject({
        plan: proPlan.code,
        phases: [{ endsAt: '2026-04-11T12:00:00.000Z' }, { startsAt: '2026-04-11T12:00:00.000Z', endsAt: null }],
      });
      for (const title of ['3', '4', '5', '6']) await createTask(admin.client, listId, title);

      await advance(admin.client, clock.id, '2026-05-01T01:30:00Z');
      const [april] = await closingInvoices(admin.client, workspaceId);
      expect(amounts(april)).toEqual([
        ['usage', '0.20'], // 2 tasks on Basic
        ['usage', '0.20'], // 4 tasks on Pro
        ['proration', '40.00'], // Pro, 20/30 of 60
        ['fixed_fee', '60.00'], // May, in advance
        ['proration', '-20.00'], // Basic, 20/30 of 30 unused
      ]);
      expect(april.lines[2].description).toBe('Remaining time on Pro (2026-04-11 to 2026-04-30)');
      expect(april.lines[4].description).toBe('Unused time on Basic from 2026-04-11 (billed in advance)');
      expect(april.total).toBe('80.40');
    });

    it('downgrades the same way', async () => {
      const { clock, workspaceId } = await setup('2026-04-01T00:00:00Z', pro);
      const basicPlan = await createPlan(admin.client, basic);
      await advance(admin.client, clock.id, '2026-04-11T12:00:00Z');
      await subscribe(admin.client, workspaceId, { plan: basicPlan.code }, 200);
      await advance(admin.client, clock.id, '2026-05-01T01:30:00Z');
      const [april] = await closingInvoices(admin.client, workspaceId);
      expect(amounts(april).filter(([, amount]) => amount !== '0.00')).toEqual([
        ['proration', '20.00'],
        ['fixed_fee', '30.00'],
        ['proration', '-40.00'],
      ]);
      expect(april.total).toBe('10.00');
    });

    it('grants a free tier once per period: switching plans back and forth neither restarts nor repeats it', async () => {
      // Two plans with the same price: the first 100 API calls of the month free, then 1.00 each.
      const meter = `calls_${Date.now().toString(36)}`;
      await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'API calls', aggregation: 'count' }), 201);
      const freeTier = {
        charges: [
          {
            meter,
            model: 'graduated',
            tiers: [
              { upTo: 100, unitAmount: '0' },
              { upTo: null, unitAmount: '1' },
            ],
          },
        ],
      };
      const { clock, workspaceId, plan: first } = await setup('2026-04-01T00:00:00Z', { ...freeTier, name: 'Team' });
      const second = await createPlan(admin.client, { ...freeTier, name: 'Team (yearly terms)' });
      let sent = 0;
      const calls = async (count: number, at: string) => {
        const events = Array.from({ length: count }, () => ({ id: `call-${++sent}`, workspaceId, meter, timestamp: at }));
        expect((await postEvents(admin.client, events)).accepted).toBe(count);
      };
      await calls(80, '2026-04-01T00:00:00Z');
      await advance(admin.client, clock.id, '2026-04-10T00:00:00Z');
      await subscribe(admin.client, workspaceId, { plan: second.code }, 200);
      await calls(80, '2026-04-10T00:00:00Z');
      await advance(admin.client, clock.id, '2026-04-20T00:00:00Z');
      await subscribe(admin.client, workspaceId, { plan: first.code }, 200);
      await calls(80, '2026-04-20T00:00:00Z');
      await advance(admin.client, clock.id, '2026-05-01T01:30:00Z');

      // 240 calls in April, 100 of them free: 140.00, as if the plan had never changed (not 3 × 100 free).
      const [april] = await closingInvoices(admin.client, workspaceId);
      expect(april.lines.filter((l: LineView) => l.kind === 'usage').map((l: LineView) => [l.quantity, l.amount])).toEqual([
        ['80', '0.00'], // calls 1–80, free
        ['80', '60.00'], // calls 81–160: 20 free, 60 at 1.00
        ['80', '80.00'], // calls 161–240
      ]);
      expect(april.total).toBe('140.00');
    });

    it('bills a peak and distinct users once per period across plan changes, as if the plan had never changed', async () => {
      // Two plans with the same prices: 10 users a month free then 1.00 each, and 5.00 per started GB of peak storage.
      const meter = `users_${Date.now().toString(36)}`;
      await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Active users', aggregation: 'unique_count', property: 'user' }), 201);
      const prices = {
        charges: [
          {
            meter,
            model: 'graduated',
            tiers: [
              { upTo: 10, unitAmount: '0' },
              { upTo: null, unitAmount: '1' },
            ],
          },
          { meter: 'storage_bytes', model: 'package', packageSize: 1_000_000_000, packageAmount: '5' },
        ],
      };
      const { clock, workspaceId } = await setup('2026-04-01T00:00:00Z', { ...prices, name: 'Team' });
      const second = await createPlan(admin.client, { ...prices, name: 'Team (yearly terms)' });
      let sent = 0;
      const users = async (names: string[], at: string) => {
        const events = names.map((user) => ({ id: `use-${++sent}`, workspaceId, meter, timestamp: at, properties: { user } }));
        expect((await postEvents(admin.client, events)).accepted).toBe(names.length);
      };
      const storage = async (bytes: number, at: string) =>
        expect((await postEvents(admin.client, [{ id: `storage-${++sent}`, workspaceId, meter: 'storage_bytes', timestamp: at, value: bytes }])).accepted).toBe(
          1,
        );
      const twelve = Array.from({ length: 12 }, (_, i) => `u${i}`);

      await advance(admin.client, clock.id, '2026-04-05T00:00:00Z');
      await users(twelve, '2026-04-05T00:00:00Z');
      await storage(3_000_000_000, '2026-04-05T00:00:00Z');
      await advance(admin.client, clock.id, '2026-04-10T00:00:00Z');
      await subscribe(admin.client, workspaceId, { plan: second.code }, 200);
      await advance(admin.client, clock.id, '2026-04-20T00:00:00Z');
      // The same twelve people and two newcomers; the same 3 GB reported again, then 4 GB.
      await users([...twelve, 'u12', 'u13'], '2026-04-15T00:00:00Z');
      await storage(3_000_000_000, '2026-04-15T00:00:00Z');
      await storage(3_500_000_000, '2026-04-20T00:00:00Z');

      // The usage screen counts each person and the peak once.
      const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
      expect(usage.quantities).toMatchObject({ [meter]: '14', storage_bytes: '3500000000' });

      await advance(admin.client, clock.id, '2026-05-01T01:30:00Z');
      // April: 14 people, 4 beyond the free 10 (4.00); a 3.5 GB peak, 4 packages (20.00) — what one plan bills.
      const [april] = await closingInvoices(admin.client, workspaceId);
      expect(april.lines.filter((l: LineView) => l.kind === 'usage').map((l: LineView) => [l.meter, l.quantity, l.amount])).toEqual([
        [meter, '12', '2.00'], // to Apr 10: 12 people, 2 beyond the free 10
        ['storage_bytes', '3000000000', '15.00'],
        [meter, '2', '2.00'], // after: the two newcomers only
        ['storage_bytes', '500000000', '5.00'], // after: what the peak grew by, into a fourth package
      ]);
      expect(april.total).toBe('24.00');
    });

    it('carries a credit larger than the invoice forward', async () => {
      const big = await createPlan(admin.client, { name: 'Big', amount: '300', payInAdvance: true });
      const free = await createPlan(admin.client, { name: 'Free', amount: '10' });
      const clock = await createTestClock(admin.client, '2026-04-01T00:00:00Z');
      const { workspaceId } = await workspaceOf(admin.client);
      await subscribe(admin.client, workspaceId, { plan: big.code, testClockId: clock.id });
      await advance(admin.client, clock.id, '2026-04-11T00:00:00Z');
      await subscribe(admin.client, workspaceId, { plan: free.code }, 200);
      await advance(admin.client, clock.id, '2026-06-01T01:30:00Z');
      const [april, may] = await closingInvoices(admin.client, workspaceId);
      // 300 × 20/30 = 200 unused; the free plan's 20 days cost 10 × 20/30 = 6.67, so 193.33 moves on.
      expect(april).toMatchObject({ subtotal: '0.00', total: '0.00', unappliedCredit: '193.33' });
      expect(may).toMatchObject({ subtotal: '0.00', unappliedCredit: '183.33' });
      expect(line(may, (l) => l.kind === 'credit').description).toMatch(/^Credit carried forward from INV-/);
    });
  });

  it('estimates the open period as its invoice will bill it: late usage of earlier periods and credit carried forward included', async () => {
    const meter = `calls_${Date.now().toString(36)}`;
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'API calls', aggregation: 'count' }), 201);
    const charges = [{ meter, model: 'standard', unitAmount: '1' }];
    const { clock, workspaceId } = await setup('2026-04-01T00:00:00Z', { name: 'Big', amount: '300', payInAdvance: true, charges });
    const small = await createPlan(admin.client, { name: 'Small', amount: '10', charges });
    await advance(admin.client, clock.id, '2026-04-11T00:00:00Z');
    await subscribe(admin.client, workspaceId, { plan: small.code }, 200);
    await advance(admin.client, clock.id, '2026-05-10T00:00:00Z'); // April final: 193.33 of credit left for May
    // 180 calls of April reported late, in May.
    const calls = Array.from({ length: 180 }, (_, i) => ({ id: `late-${i}`, workspaceId, meter, timestamp: '2026-04-20T00:00:00Z' }));
    expect((await postEvents(admin.client, calls)).accepted).toBe(180);
    const estimate = async () => {
      const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
      return { lines: amounts(usage), total: usage.total };
    };

    await advance(admin.client, clock.id, '2026-05-31T23:00:00Z');
    const mayEstimate = await estimate();
    // May's fee, April's late calls, and as much of the credit as they use.
    expect(mayEstimate).toEqual({
      lines: [
        ['fixed_fee', '10.00'],
        ['usage', '0.00'],
        ['adjustment', '180.00'],
        ['credit', '-190.00'],
      ],
      total: '0.00',
    });

    // In June's first hour May is a draft, not final yet: June's estimate carries what May will leave (3.33).
    await advance(admin.client, clock.id, '2026-06-01T00:30:00Z');
    const juneEstimate = await estimate();
    expect(juneEstimate).toEqual({
      lines: [
        ['fixed_fee', '10.00'],
        ['usage', '0.00'],
        ['credit', '-3.33'],
      ],
      total: '6.67',
    });

    await advance(admin.client, clock.id, '2026-07-01T01:30:00Z');
    const [, may, june] = await closingInvoices(admin.client, workspaceId);
    expect({ lines: amounts(may), total: may.total }).toEqual(mayEstimate);
    expect({ lines: amounts(june), total: june.total }).toEqual(juneEstimate);
  });

  it('bills nothing during a trial, then the rest of the period', async () => {
    const { clock, workspaceId, listId } = await setup('2026-04-01T00:00:00Z', {
      name: 'Trial plan',
      amount: '30',
      payInAdvance: true,
      trialDays: 14,
      charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '1' }],
    });
    expect(await invoicesOf(admin.client, workspaceId)).toEqual([]); // no opening invoice during a trial
    await createTask(admin.client, listId, 'free');
    await advance(admin.client, clock.id, '2026-04-20T00:00:00Z');
    await createTask(admin.client, listId, 'billed');
    await advance(admin.client, clock.id, '2026-05-01T01:30:00Z');
    const [april] = await closingInvoices(admin.client, workspaceId);
    expect(amounts(april)).toEqual([
      ['usage', '1.00'],
      ['proration', '16.00'], // April 15–30
      ['fixed_fee', '30.00'],
    ]);
  });

  it('cancels at the end of the period: that period is billed, nothing after', async () => {
    const { clock, workspaceId } = await setup('2026-04-01T00:00:00Z', { amount: '10' });
    await advance(admin.client, clock.id, '2026-04-10T00:00:00Z');
    const canceled = await ok(admin.client.delete(`/api/v1/workspaces/${workspaceId}/subscription`));
    expect(canceled).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    await advance(admin.client, clock.id, '2026-06-02T00:00:00Z');
    const invoices = await closingInvoices(admin.client, workspaceId);
    expect(invoices.map((i) => [i.periodStart, i.total])).toEqual([['2026-04-01T00:00:00.000Z', '10.00']]);
    expect(await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/subscription`))).toMatchObject({
      status: 'canceled',
      endedAt: '2026-05-01T00:00:00.000Z',
    });
    expect((await admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`)).status).toBe(404);
  });

  it('puts late events in the draft before finalization, and in an adjustment on the next invoice after', async () => {
    const meter = `calls_${Date.now().toString(36)}`;
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'API calls', aggregation: 'sum' }), 201);
    const { clock, workspaceId } = await setup(
      '2026-01-15T00:00:00Z',
      { charges: [{ meter, model: 'standard', unitAmount: '0.01' }] },
      { startAt: '2026-01-01T00:00:00Z' },
    );
    const event = (id: string, timestamp: string, value: string) => ({ id, workspaceId, meter, timestamp, value });
    await postEvents(admin.client, [event('jan-15', '2026-01-15T00:00:00Z', '100')]);

    await advance(admin.client, clock.id, '2026-02-01T00:30:00Z'); // January closed, still a draft for an hour
    expect((await postEvents(admin.client, [event('jan-31', '2026-01-31T23:00:00Z', '200')])).accepted).toBe(1);
    const [draft] = await closingInvoices(admin.client, workspaceId);
    expect(draft).toMatchObject({ status: 'draft', number: null });
    expect(line(draft, meter)).toMatchObject({ quantity: '300', amount: '3.00' });

    await advance(admin.client, clock.id, '2026-02-01T01:30:00Z');
    const [january] = await closingInvoices(admin.client, workspaceId);
    expect(january).toMatchObject({ status: 'finalized', total: '3.00' });
    expect(january.number).toMatch(/^INV-\d{8}$/);

    // After finalization: the invoice never changes; the late usage goes on the next invoice.
    await postEvents(admin.client, [event('jan-20', '2026-01-20T00:00:00Z', '50'), event('feb-10', '2026-02-01T01:00:00Z', '10')]);
    expect((await ok(admin.client.get(`/api/v1/invoices/${january.id}`))).total).toBe('3.00');
    await advance(admin.client, clock.id, '2026-03-01T01:30:00Z');
    const [, february] = await closingInvoices(admin.client, workspaceId);
    expect(amounts(february)).toEqual([
      ['usage', '0.10'],
      ['adjustment', '0.50'],
    ]);
    const adjustment = line(february, (l) => l.kind === 'adjustment');
    expect(adjustment.description).toBe(`Late usage for ${january.number} (2026-01-01 to 2026-01-31): ${meter}`);

    // Each line traces to exactly the events it counted.
    const traced = async (invoiceId: string, lineId: string) =>
      (await ok(admin.client.get(`/api/v1/invoices/${invoiceId}/lines/${lineId}/events`))).items.map((e: { id: string }) => e.id);
    expect(await traced(january.id, line(january, meter).id)).toEqual(['jan-15', 'jan-31']);
    expect(await traced(february.id, adjustment.id)).toEqual(['jan-20']);
    expect(await traced(february.id, line(february, meter).id)).toEqual(['feb-10']);

    // Adjusted once: March carries no second adjustment.
    await advance(admin.client, clock.id, '2026-04-01T01:30:00Z');
    const [, , march] = await closingInvoices(admin.client, workspaceId);
    expect(march.lines.filter((l: { kind: string }) => l.kind === 'adjustment')).toEqual([]);
  });

  it('traces activity-log meters to the activity they counted, page by page', async () => {
    const { clock, workspaceId, listId } = await setup('2026-05-01T00:00:00Z', { charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '1' }] });
    for (const title of ['a', 'b', 'c']) await createTask(admin.client, listId, title);
    await postEvents(admin.client, [{ id: 'imported', workspaceId, meter: 'tasks_created', timestamp: '2026-05-01T00:00:00Z' }]);
    await advance(admin.client, clock.id, '2026-06-01T01:30:00Z');
    const [may] = await closingInvoices(admin.client, workspaceId);
    const usage = line(may, 'tasks_created');
    expect(usage.quantity).toBe('4');
    const first = await ok(admin.client.get(`/api/v1/invoices/${may.id}/lines/${usage.id}/events?limit=2`));
    const second = await ok(admin.client.get(`/api/v1/invoices/${may.id}/lines/${usage.id}/events?limit=2&cursor=${first.nextCursor}`));
    const all = [...first.items, ...second.items];
    expect(all.map((e: { source: string; type?: string }) => [e.source, e.type ?? null])).toEqual([
      ['event', null],
      ['activity', 'task.created'],
      ['activity', 'task.created'],
      ['activity', 'task.created'],
    ]);
    expect(second.nextCursor).toBeNull();
    // A forged cursor is a 400, never a query with odd values in it.
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      forge({ source: 'event', timestamp: { a: 1 }, id: [1] }),
      forge(['event']),
      forge({ source: 'elsewhere', timestamp: '', id: '' }),
      'nope',
    ]) {
      const events = await admin.client.get(`/api/v1/invoices/${may.id}/lines/${usage.id}/events?cursor=${cursor}`);
      expect(events.status, JSON.stringify(events.body)).toBe(400);
      const invoices = await admin.client.get(`/api/v1/workspaces/${workspaceId}/invoices?cursor=${cursor}`);
      expect(invoices.status, JSON.stringify(invoices.body)).toBe(400);
    }
  });

  it('shows a printable invoice, takes tax per workspace, corrects with credit notes, announces finalization', async () => {
    const finalized: string[] = [];
    server.app.billing.invoices.onInvoiceFinalized((event) => finalized.push(event.invoiceId));
    const { clock, workspaceId } = await setup('2026-07-01T00:00:00Z', { name: 'Team <Pro>', amount: '50' });
    await ok(admin.client.request('PUT', `/api/v1/workspaces/${workspaceId}/billing-settings`, { taxRate: '0.2' }));
    await advance(admin.client, clock.id, '2026-08-01T01:30:00Z');
    const [july] = await closingInvoices(admin.client, workspaceId);
    expect(july).toMatchObject({ subtotal: '50.00', tax: '10.00', total: '60.00', taxRate: '0.2' });
    expect(finalized).toContain(july.id);

    const html = await admin.client.get(`/api/v1/invoices/${july.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.body).toContain(`Invoice ${july.number}`);
    expect(html.body).toContain('Team &lt;Pro&gt;');
    expect(html.body).not.toContain('<Pro>');
    expect(html.body).toContain('60.00');

    const note = await ok(admin.client.post(`/api/v1/invoices/${july.id}/credit-notes`, { amount: '5', reason: 'Outage on July 3' }), 201);
    expect(note).toMatchObject({ invoiceId: july.id, amount: '5.00', tax: '1.00', total: '6.00', reason: 'Outage on July 3' });
    expect(note.number).toMatch(/^CN-\d{8}$/);
    const after = await ok(admin.client.get(`/api/v1/invoices/${july.id}`));
    expect(after).toMatchObject({ total: '60.00', lines: july.lines, creditNotes: [note] }); // never an edit
    expect((await admin.client.post(`/api/v1/invoices/${july.id}/credit-notes`, { amount: '50', reason: 'Too much' })).body).toMatchObject({
      code: 'unprocessable',
    });
    const owner = await ok(admin.client.post(`/api/v1/invoices/${july.id}/credit-notes`, { amount: '45', reason: 'The rest' }), 201);
    expect(Number(owner.number.slice(3))).toBe(Number(note.number.slice(3)) + 1);
  });

  it('credits an invoice in notes of any size: never more than its subtotal, and its tax exactly once everything is credited', async () => {
    const { clock, workspaceId } = await setup('2026-04-01T00:00:00Z', { name: 'Cents', amount: '0.05' });
    await ok(admin.client.request('PUT', `/api/v1/workspaces/${workspaceId}/billing-settings`, { taxRate: '0.1' }));
    await advance(admin.client, clock.id, '2026-05-01T01:30:00Z');
    const [april] = await closingInvoices(admin.client, workspaceId);
    expect(april).toMatchObject({ subtotal: '0.05', tax: '0.01', total: '0.06' }); // 0.005 of tax, half up
    const credit = (amount: string) => admin.client.post(`/api/v1/invoices/${april.id}/credit-notes`, { amount, reason: 'Goodwill' });

    const first = await ok(credit('0.03'), 201);
    expect(first).toMatchObject({ amount: '0.03', tax: '0.00', total: '0.03' }); // 0.003 of tax
    // 0.06 before tax is more than the invoice's 0.05, though with the first note's tax rounded away it fitted its total.
    expect(await credit('0.03')).toMatchObject({ status: 422, body: { code: 'unprocessable', errors: [{ field: 'amount' }] } });
    // The rest: its tax is what the two notes owe together (0.005, half up) less what the first gave back.
    const rest = await ok(credit('0.02'), 201);
    expect(rest).toMatchObject({ amount: '0.02', tax: '0.01', total: '0.03' });

    const { creditNotes } = await ok(admin.client.get(`/api/v1/invoices/${april.id}`));
    const sum = (field: 'amount' | 'tax' | 'total') =>
      creditNotes.reduce((cents: number, note: Record<string, string>) => cents + Math.round(Number(note[field]) * 100), 0);
    expect([sum('amount'), sum('tax'), sum('total')]).toEqual([5, 1, 6]); // the invoice, exactly
  });

  it('dates the printable invoice in the billing time zone: the period is the local days it bills, the issue date is local', async () => {
    // March in Paris: 00:00 on March 1 (UTC+1) to 00:00 on April 1 (UTC+2), that is 23:00 on Feb 28 to 22:00 on March 31 in UTC.
    const { clock, workspaceId } = await setup('2026-02-28T23:00:00Z', { name: 'Paris', amount: '31' }, { timezone: 'Europe/Paris' });
    await advance(admin.client, clock.id, '2026-03-31T23:30:00Z'); // 01:30 on April 1 in Paris, past the grace period
    const [march] = await closingInvoices(admin.client, workspaceId);
    expect(march).toMatchObject({
      status: 'finalized',
      periodStart: '2026-02-28T23:00:00.000Z',
      periodEnd: '2026-03-31T22:00:00.000Z',
      timezone: 'Europe/Paris',
    });
    expect(line(march, (l) => l.kind === 'fixed_fee').description).toContain('2026-03-01 to 2026-03-31');
    await ok(admin.client.post(`/api/v1/invoices/${march.id}/credit-notes`, { amount: '1', reason: 'Goodwill' }), 201);

    const html = (await admin.client.get(`/api/v1/invoices/${march.id}/html`)).body as string;
    // The same days the fee line names, not the UTC dates of the instants (Feb 28 to March 31).
    expect(html).toContain('Period: 2026-03-01 to 2026-03-31 (Europe/Paris)');
    expect(html).not.toContain('2026-02-28');
    expect(html).toContain('Issued: 2026-04-01');
  });

  it("dates a credit note with the test clock's time, as the invoice it corrects", async () => {
    // The server clock reads 2020-01-01; the workspace lives on April 2, 2026 in Paris.
    const { clock, workspaceId } = await setup('2026-02-28T23:00:00Z', { name: 'Paris', amount: '31' }, { timezone: 'Europe/Paris' });
    await advance(admin.client, clock.id, '2026-04-02T08:00:00Z');
    const [march] = await closingInvoices(admin.client, workspaceId);
    expect(march.status).toBe('finalized');

    const note = await ok(admin.client.post(`/api/v1/invoices/${march.id}/credit-notes`, { amount: '1', reason: 'Goodwill' }), 201);
    expect(note.createdAt).toBe('2026-04-02T08:00:00.000Z');
    expect((await ok(admin.client.get(`/api/v1/invoices/${march.id}`))).creditNotes).toEqual([note]);
    const html = (await admin.client.get(`/api/v1/invoices/${march.id}/html`)).body as string;
    expect(html).toContain(`${note.number} (2026-04-02)`);
    expect(html).not.toContain('2020-01-01');
  });

  it('dates a credit note with the test clock of a subscription that has ended since', async () => {
    const { clock, workspaceId } = await setup('2026-04-01T00:00:00Z', { amount: '10' });
    await ok(admin.client.delete(`/api/v1/workspaces/${workspaceId}/subscription`));
    await advance(admin.client, clock.id, '2026-06-02T00:00:00Z');
    expect(await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/subscription`))).toMatchObject({ status: 'canceled' });
    const [april] = await closingInvoices(admin.client, workspaceId);

    const note = await ok(admin.client.post(`/api/v1/invoices/${april.id}/credit-notes`, { amount: '1', reason: 'Goodwill' }), 201);
    expect(note.createdAt).toBe('2026-06-02T00:00:00.000Z'); // not the server's 2020-01-01
  });
});
