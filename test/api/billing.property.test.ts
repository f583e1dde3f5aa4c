/**
 * Invariants of metering and rating on generated usage: replaying events changes nothing (whatever the
 * batches and order), and re-rating a finalized period gives the same invoice.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/billing/decimal.js';
import { activeMembersQuantity } from '../../src/core/billing/active-members.js';
import { aggregate } from '../../src/core/billing/aggregations.js';
import { segmentLocalDates } from '../../src/core/billing/period-invoice.js';
import { localDateOf, periodContaining } from '../../src/core/billing/periods.js';
import type { PlanView } from '../../src/core/schemas/billing.js';
import { ManualClock } from '../../src/server/clock.js';
import type { Billing } from '../../src/server/billing/billing.module.js';
import { createBillingAdmin, ok } from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

const periodStart = Date.parse('2026-06-01T00:00:00Z');
const minute = 60_000;

describe.each(testDialects())('billing invariants on %s', (dialect) => {
  let server: TestServer;
  let billing: Billing;
  let admin: Awaited<ReturnType<typeof createBillingAdmin>>;
  let principal: { userId: string; via: 'session' };
  const meters = { sum: '', unique: '', max: '', latest: '', filtered: '' };
  const numRuns = dialect === 'postgres' ? 10 : 40;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, { clock: new ManualClock(new Date('2020-01-01T00:00:00Z')) });
    billing = server.app.billing;
    admin = await createBillingAdmin(server);
    principal = { userId: admin.user.id, via: 'session' };
    const tag = Date.now().toString(36);
    const define = async (key: keyof typeof meters, body: Record<string, unknown>) => {
      meters[key] = `${key}_${tag}`;
      await billing.meters.createMeter({ code: meters[key], name: key, ...body } as never);
    };
    await define('sum', { aggregation: 'sum' });
    await define('unique', { aggregation: 'unique_count', property: 'user' });
    await define('max', { aggregation: 'max', property: 'size' });
    await define('latest', { aggregation: 'latest' });
    await define('filtered', { aggregation: 'count', filter: { region: 'eu' } });
  });
  afterAll(() => server.close());

  /** One generated usage event: one of the meters, somewhere in June, with what that meter reads. */
  const eventArbitrary = fc.record({
    id: fc.integer({ min: 0, max: 40 }).map((n) => `evt-${n}`),
    meter: fc.constantFrom('sum', 'unique', 'max', 'latest', 'filtered', 'tasks_created', 'active_members'),
    at: fc.integer({ min: 0, max: 29 * 24 * 60 }),
    value: fc.oneof(
      fc.integer({ min: 0, max: 10_000 }).map(String),
      fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 100).toFixed(2)),
    ),
    user: fc.constantFrom('ann', 'bob', 'cy', 'dee'),
    region: fc.constantFrom('eu', 'us'),
  });

  type GeneratedEvent = typeof eventArbitrary extends fc.Arbitrary<infer T> ? T : never;

  function toEvents(workspaceId: string, generated: Array<GeneratedEvent>) {
    return generated.map((event) => {
      const meter = event.meter in meters ? meters[event.meter as keyof typeof meters] : event.meter;
      return {
        id: event.id,
        workspaceId,
        meter,
        timestamp: new Date(periodStart + event.at * minute).toISOString(),
        value: event.value,
        properties: { user: event.user, userId: event.user, size: Number(event.value), region: event.region },
      };
    });
  }

  /** Splits into batches at the given cut points. */
  function batches<T>(items: T[], cuts: number[]): T[][] {
    const points = [...new Set(cuts.map((cut) => cut % (items.length + 1)))].sort((a, b) => a - b);
    const result: T[][] = [];
    let start = 0;
    for (const point of [...points, items.length]) {
      if (point > start) result.push(items.slice(start, point));
      start = Math.max(start, point);
    }
    return result;
  }

  async function subscribedWorkspace(charges: unknown[] = []) {
    const workspace = await ok(admin.client.post('/api/v1/workspaces', { name: 'Generated' }), 201);
    const plan = await billing.plans.createPlan({
      code: `p-${Math.random().toString(36).slice(2, 10)}`,
      name: 'Generated',
      interval: 'month',
      currency: 'EUR',
      amount: '9.99',
      payInAdvance: false,
      charges: charges as never,
    });
    const clock = await billing.testClocks.createTestClock(admin.user.id, '2026-06-30T00:00:00Z');
    await billing.subscriptions.putSubscription(admin.user.id, workspace.id, { plan: plan.code, testClockId: clock.id, startAt: '2026-06-01T00:00:00Z' });
    return { workspaceId: workspace.id as string, clockId: clock.id };
  }

  it('replaying events — any subset, in any batches and order — changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.infiniteStream(fc.boolean()),
        async (generated, cuts, replayCuts, picks) => {
          const { workspaceId } = await subscribedWorkspace();
          const events = toEvents(workspaceId, generated);
          let accepted = 0;
          for (const batch of batches(events, cuts)) {
            const result = await billing.events.ingestEvents(principal, batch);
            expect(result.rejected).toEqual([]);
            accepted += result.accepted;
          }
          expect(accepted).toBe(new Set(events.map((event) => event.id)).size);
          const before = await billing.subscriptions.getUsage(admin.user.id, workspaceId);

          const replay = events.filter(() => picks.next().value).reverse();
          for (const batch of batches(replay, replayCuts)) {
            expect(await billing.events.ingestEvents(principal, batch)).toEqual({ accepted: 0, duplicates: batch.length, rejected: [] });
          }
          expect(await billing.subscriptions.getUsage(admin.user.id, workspaceId)).toEqual(before);
        },
      ),
      { numRuns },
    );
  });

  const price = fc.integer({ min: 0, max: 50_000 }).map((n) => (n / 10_000).toString());
  const chargeArbitrary = (meter: string) =>
    fc.oneof(
      price.map((unitAmount) => ({ meter, model: 'standard', unitAmount })),
      fc.tuple(fc.integer({ min: 1, max: 20 }), price, price).map(([upTo, low, high]) => ({
        meter,
        model: 'graduated',
        tiers: [
          { upTo, unitAmount: low },
          { upTo: null, unitAmount: high, flatAmount: '1' },
        ],
      })),
      fc.tuple(fc.integer({ min: 1, max: 20 }), price, price).map(([upTo, low, high]) => ({
        meter,
        model: 'volume',
        tiers: [
          { upTo, unitAmount: low },
          { upTo: null, unitAmount: high },
        ],
      })),
      fc
        .tuple(fc.integer({ min: 1, max: 10 }), price)
        .map(([packageSize, packageAmount]) => ({ meter, model: 'package', packageSize, packageAmount, freeUnits: 2 })),
    );

  it('re-rating a finalized period gives the same invoice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { maxLength: 30 }),
        fc.subarray(['sum', 'unique', 'max', 'latest', 'filtered', 'tasks_created', 'active_members'], { minLength: 1 }),
        fc.array(chargeArbitrary(''), { minLength: 7, maxLength: 7 }),
        fc.constantFrom('0', '0.2', '0.055'),
        async (generated, charged, pricing, taxRate) => {
          const charges = charged.map((key, index) => ({ ...pricing[index]!, meter: key in meters ? meters[key as keyof typeof meters] : key }));
          const { workspaceId, clockId } = await subscribedWorkspace(charges);
          await billing.subscriptions.setTaxRate(admin.user.id, workspaceId, taxRate);
          await billing.events.ingestEvents(principal, toEvents(workspaceId, generated));
          await billing.testClocks.advanceTestClock(admin.user.id, clockId, '2026-07-01T01:30:00Z');
          const page = await billing.invoices.listInvoices(admin.user.id, workspaceId, { limit: 10 });
          const [invoice] = page.items;
          expect(invoice).toMatchObject({ status: 'finalized', taxRate });
          const rerated = await billing.invoices.rerateInvoice(invoice!.id);
          const shape = (lines: Array<{ kind: string; description: string; quantity: string; amount: string }>) =>
            lines.map((l) => [l.kind, l.description, l.quantity, l.amount]);
          expect(shape(rerated.lines)).toEqual(shape(invoice!.lines));
          expect([rerated.subtotal, rerated.tax, rerated.total]).toEqual([invoice!.subtotal, invoice!.tax, invoice!.total]);
          // And closing again is a no-op.
          expect((await billing.testClocks.advanceTestClock(admin.user.id, clockId, '2026-07-01T01:30:00Z')).closed.invoicesFinalized).toBe(0);
        },
      ),
      { numRuns },
    );
  });

  it('hourly rollups plus raw edges measure what the pure aggregation computes from the events', async () => {
    const specs = {
      sum: { aggregation: 'sum' },
      unique: { aggregation: 'unique_count', property: 'user' },
      max: { aggregation: 'max', property: 'size' },
      latest: { aggregation: 'latest' },
      filtered: { aggregation: 'count', filter: { region: 'eu' } },
    } as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { maxLength: 40 }),
        fc.integer({ min: 0, max: 29 * 24 * 60 }),
        fc.integer({ min: 1, max: 29 * 24 * 60 }),
        async (generated, startMinute, lengthMinutes) => {
          const { workspaceId } = await subscribedWorkspace();
          const events = toEvents(workspaceId, generated);
          await billing.events.ingestEvents(principal, events);
          const from = new Date(periodStart + startMinute * minute + 17_000).toISOString();
          const to = new Date(periodStart + (startMinute + lengthMinutes) * minute).toISOString();
          const period = periodContaining({ startAt: '2026-06-01T00:00:00Z', interval: 'month', anchor: 'calendar', timezone: 'UTC' }, from);
          const plan = {
            charges: Object.keys(specs).map((key) => ({ meter: meters[key as keyof typeof meters], model: 'standard', unitAmount: '1' })),
          } as unknown as PlanView;
          const { quantities } = await billing.rating.measure(server.app.listo.db.kysely, workspaceId, plan, period, from, to);
          // First occurrence of an id wins; the range is [from, to).
          const stored = events.filter((event, index) => events.findIndex((other) => other.id === event.id) === index);
          for (const [key, spec] of Object.entries(specs)) {
            const inRange = stored.filter((event) => event.meter === meters[key as keyof typeof meters] && event.timestamp >= from && event.timestamp < to);
            expect(quantities[meters[key as keyof typeof meters]]!.toFixed(), key).toBe(aggregate(spec, inRange).toFixed());
          }
        },
      ),
      { numRuns },
    );
  });

  it('active members from presence rollups match the pure fair-billing computation, in any time zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ person: fc.constantFrom('ann', 'bob', 'cy', 'dee'), at: fc.integer({ min: 0, max: 34 * 24 * 60 }) }), { maxLength: 40 }),
        fc.constantFrom('UTC', 'Europe/Paris', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Kiritimati'),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        async (activity, timezone, windowDays, cutMinute) => {
          const { workspaceId } = await subscribedWorkspace();
          const since = Date.parse('2026-05-27T00:00:00Z');
          const events = activity.map((entry, index) => ({
            id: `am-${index}`,
            workspaceId,
            meter: 'active_members',
            timestamp: new Date(since + entry.at * minute).toISOString(),
            properties: { userId: entry.person },
          }));
          expect((await billing.events.ingestEvents(principal, events)).rejected).toEqual([]);
          const period = periodContaining({ startAt: '2026-01-01T00:00:00Z', interval: 'month', anchor: 'calendar', timezone }, '2026-06-15T00:00:00Z');
          // A slice starting mid-period, as after a plan change.
          const from = new Date(Date.parse(period.start) + cutMinute * minute).toISOString();
          const meter = await billing.meters.requireMeter('active_members');
          const measured = await meter.quantity({
            db: server.app.listo.db.kysely,
            workspaceId,
            period,
            from,
            to: period.end,
            activeMembersWindowDays: windowDays,
          });

          const activityByMember = new Map<string, string[]>();
          for (const event of events) {
            if (event.timestamp >= period.end) continue;
            activityByMember.set(event.properties.userId, [...(activityByMember.get(event.properties.userId) ?? []), localDateOf(event.timestamp, timezone)]);
          }
          const dates = segmentLocalDates(period, from, period.end);
          const expected = dates.length === 0 ? 0 : activeMembersQuantity({ periodDates: dates, activityByMember, windowDays }).activeMemberDays;
          expect(measured.toFixed()).toBe(new Decimal(expected).div(period.fullDays).toFixed());
        },
      ),
      { numRuns },
    );
  });
});
