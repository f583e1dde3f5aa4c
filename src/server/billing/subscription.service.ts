/**
 * Subscriptions: start one (with a trial, an opening invoice for in-advance fees), change its plan as of
 * the workspace's current time (prorated by day on the period's invoice), cancel at period end, and
 * the live usage estimate of the open period.
 */
import { Decimal } from '../../core/billing/decimal.js';
import { DateTime } from 'luxon';
import { AppError, notFound } from '../../core/errors.js';
import { canonicalTimeZone } from '../../core/schemas/common.js';
import { periodContaining } from '../../core/billing/periods.js';
import type { SubscriptionBody, SubscriptionView, UsageView } from '../../core/schemas/billing.js';
import type { AppContext } from '../context.js';
import { inTransaction } from '../db/unit-of-work.js';
import { newId } from '../ids.js';
import type { BillingAccess } from './billing-access.js';
import { findTaxRate, upsertTaxRate } from './billing-settings.repository.js';
import type { BillingTime } from './billing-time.js';
import type { FinalizeJob } from './finalize.job.js';
import type { InvoiceService } from './invoice.service.js';
import type { PlanService } from './plan.service.js';
import { phaseAt, type RatingService } from './rating.service.js';
import {
  cutPhasesAt,
  findLatestSubscription,
  findSubscription,
  findLiveSubscription,
  insertPhases,
  insertSubscription,
  listPhases,
  lockLiveSubscription,
  updateSubscription,
  type PhaseRow,
  type SubscriptionRow,
} from './subscription.repository.js';
import { findTestClock } from './test-clock.repository.js';

function toView(row: SubscriptionRow, phases: PhaseRow[]): SubscriptionView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    // The open phase is the plan in force; none is open once the subscription has ended, and then the last was.
    plan: (phases.find((phase) => phase.ends_at === null) ?? phases.at(-1))?.plan_code ?? '',
    status: row.status,
    anchor: row.anchor,
    timezone: row.timezone,
    startAt: row.start_at,
    trialEnd: row.trial_end,
    testClockId: row.test_clock_id,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    cancelAtPeriodEnd: row.cancel_at_period_end === 1,
    endedAt: row.ended_at,
    phases: phases.map((phase) => ({ plan: phase.plan_code, startsAt: phase.starts_at, endsAt: phase.ends_at, trial: phase.trial === 1 })),
  };
}

/** Phases from `from` on: trial days first (while `trialEnd` is ahead), then the plan. */
function phasesFrom(subscriptionId: string, planCode: string, from: string, trialEnd: string | null, createdAt: string): PhaseRow[] {
  const phase = (startsAt: string, endsAt: string | null, trial: boolean): PhaseRow => ({
    id: newId(),
    subscription_id: subscriptionId,
    plan_code: planCode,
    starts_at: startsAt,
    ends_at: endsAt,
    trial: trial ? 1 : 0,
    created_at: createdAt,
  });
  if (trialEnd !== null && trialEnd > from) return [phase(from, trialEnd, true), phase(trialEnd, null, false)];
  return [phase(from, null, false)];
}

const unprocessable = (field: string, message: string) => new AppError('unprocessable', `${field}: ${message}`, { errors: [{ field, message }] });

/**
 * How far back a subscription may start: every period since `startAt` is closed and invoiced at once,
 * so an unbounded date would mint thousands of invoices (and their numbers). A workspace admin may
 * backdate to the start of a recent period — as far as usage events may be (35 days) — and never
 * before the workspace existed; an operator up to 400 days (a year's periods, for imports and test clocks).
 */
export const backdateLimitDays = { workspaceAdmin: 35, operator: 400 } as const;
const dayMs = 86_400_000;

export function createSubscriptionService(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  deps: { access: BillingAccess; plans: PlanService; rating: RatingService; invoices: InvoiceService; time: BillingTime; job: FinalizeJob },
) {
  const { db, clock } = ctx;
  const { access, plans, rating, invoices, time, job } = deps;

  async function viewOf(row: SubscriptionRow): Promise<SubscriptionView> {
    return toView(row, await listPhases(db.kysely, row.id));
  }

  async function start(workspaceId: string, body: SubscriptionBody, operator: boolean): Promise<SubscriptionView> {
    const plan = await plans.requirePlan(body.plan);
    let now = clock.now();
    if (body.testClockId) {
      const testClock = await findTestClock(db.kysely, body.testClockId);
      if (!testClock) throw unprocessable('testClockId', 'is not a test clock');
      now = new Date(testClock.frozen_time);
    }
    const startAt = body.startAt ? new Date(body.startAt).toISOString() : now.toISOString();
    if (startAt > now.toISOString()) throw unprocessable('startAt', 'cannot be in the future');
    const limitDays = operator ? backdateLimitDays.operator : backdateLimitDays.workspaceAdmin;
    if (Date.parse(startAt) < now.getTime() - limitDays * dayMs) throw unprocessable('startAt', `cannot be more than ${limitDays} days in the past`);
    if (!body.testClockId) {
      // A test clock's time is simulated; on the real clock, nothing is billed from before the workspace existed.
      const createdAt = await access.workspaceCreatedAt(workspaceId);
      if (createdAt !== null && startAt < createdAt) throw unprocessable('startAt', `cannot be before the workspace was created (${createdAt})`);
    }
    const timezone = body.timezone === undefined ? 'UTC' : (canonicalTimeZone(body.timezone) ?? body.timezone);
    const anchor = body.anchor ?? 'calendar';
    const period = periodContaining({ startAt, interval: plan.interval, anchor, timezone }, startAt);
    const trialEnd = plan.trialDays ? (DateTime.fromISO(startAt, { zone: timezone }).plus({ days: plan.trialDays }).toUTC().toISO() as string) : null;
    const at = now.toISOString();
    const row: SubscriptionRow = {
      id: newId(),
      workspace_id: workspaceId,
      status: 'active',
      anchor,
      timezone,
      start_at: startAt,
      trial_end: trialEnd,
      test_clock_id: body.testClockId ?? null,
      current_period_start: period.start,
      current_period_end: period.end,
      cancel_at_period_end: 0,
      ended_at: null,
      created_at: clock.now().toISOString(),
      updated_at: at,
    };
    try {
      await inTransaction(db, async ({ tx }) => {
        await insertSubscription(tx, row);
        await insertPhases(tx, phasesFrom(row.id, plan.code, startAt, trialEnd, at));
        if (plan.payInAdvance && trialEnd === null && new Decimal(plan.amount).gt(0)) {
          await invoices.createOpeningInvoice(tx, row, plan, period, await findTaxRate(tx, workspaceId), at);
        }
      });
    } catch (error) {
      if (await findLiveSubscription(db.kysely, workspaceId)) throw new AppError('conflict', 'The workspace got a subscription at the same time; retry');
      throw error;
    }
    await time.refresh();
    return viewOf(row);
  }

  async function change(subscription: SubscriptionRow, body: SubscriptionBody): Promise<SubscriptionView> {
    for (const field of ['startAt', 'anchor', 'timezone', 'testClockId'] as const) {
      const current = { startAt: subscription.start_at, anchor: subscription.anchor, timezone: subscription.timezone, testClockId: subscription.test_clock_id }[
        field
      ];
      const asked = field === 'startAt' && body.startAt ? new Date(body.startAt).toISOString() : body[field];
      if (asked !== undefined && asked !== current) throw unprocessable(field, 'cannot change on a running subscription; only the plan can');
    }
    const plan = await plans.requirePlan(body.plan);
    const now = await time.nowFor(subscription.workspace_id);
    // Close what has ended first, so the change lands in the period it happens in.
    await job.closeSubscription(subscription, now);
    const at = now.toISOString();
    // Everything the change depends on is read after the subscription's row is locked: two changes at once
    // (a double submit, a retry) then run one after the other, each cutting the phase the other opened,
    // instead of both cutting the same one and leaving two plans open for the rest of the period.
    const changed = await inTransaction(db, async ({ tx }) => {
      if (!(await lockLiveSubscription(tx, subscription.id))) throw new AppError('conflict', 'The subscription has ended');
      const fresh = (await findSubscription(tx, subscription.id)) ?? subscription;
      const phases = await listPhases(tx, fresh.id);
      const current = phaseAt(phases, at);
      const currentPlan = current ? await rating.planOf(current.plan_code, tx) : null;
      if (currentPlan?.code === plan.code) {
        // Same plan: resuming a subscription set to cancel is the only change.
        if (fresh.cancel_at_period_end === 1) await updateSubscription(tx, fresh.id, { cancel_at_period_end: 0, updated_at: at });
        return fresh;
      }
      if (currentPlan && (currentPlan.currency !== plan.currency || currentPlan.interval !== plan.interval)) {
        throw unprocessable(
          'plan',
          `must bill in ${currentPlan.currency} every ${currentPlan.interval} like the current plan; start a new subscription to change those`,
        );
      }
      await cutPhasesAt(tx, fresh.id, at);
      await insertPhases(tx, phasesFrom(fresh.id, plan.code, at, fresh.trial_end, at));
      await updateSubscription(tx, fresh.id, { cancel_at_period_end: 0, updated_at: at });
      return fresh;
    });
    return viewOf((await findLiveSubscription(db.kysely, changed.workspace_id)) ?? changed);
  }

  return {
    async putSubscription(userId: string, workspaceId: string, body: SubscriptionBody): Promise<{ created: boolean; subscription: SubscriptionView }> {
      await access.requireWorkspaceBilling(userId, workspaceId);
      if (body.testClockId) await access.requireAdmin(userId);
      const live = await findLiveSubscription(db.kysely, workspaceId);
      if (!live) return { created: true, subscription: await start(workspaceId, body, await access.isAdmin(userId)) };
      return { created: false, subscription: await change(live, body) };
    },

    async getSubscription(userId: string, workspaceId: string): Promise<SubscriptionView> {
      await access.requireWorkspaceBilling(userId, workspaceId);
      const row = await findLatestSubscription(db.kysely, workspaceId);
      if (!row) throw notFound('Subscription');
      return viewOf(row);
    },

    /** `getSubscription` as a list: empty when the workspace has none, which a page asking is not an error. */
    async listSubscriptions(userId: string, workspaceId: string): Promise<SubscriptionView[]> {
      await access.requireWorkspaceBilling(userId, workspaceId);
      const row = await findLatestSubscription(db.kysely, workspaceId);
      return row ? [await viewOf(row)] : [];
    },

    /** Cancels at the end of the current period: that period is still billed; nothing after it. */
    async cancelSubscription(userId: string, workspaceId: string): Promise<SubscriptionView> {
      await access.requireWorkspaceBilling(userId, workspaceId);
      const row = await findLiveSubscription(db.kysely, workspaceId);
      if (!row) throw notFound('Subscription');
      const now = await time.nowFor(workspaceId);
      await updateSubscription(db.kysely, row.id, { cancel_at_period_end: 1, updated_at: now.toISOString() });
      return viewOf({ ...row, cancel_at_period_end: 1, updated_at: now.toISOString() });
    },

    async setTaxRate(userId: string, workspaceId: string, taxRate: string) {
      await access.requireAdmin(userId);
      await access.requireWorkspaceBilling(userId, workspaceId);
      await upsertTaxRate(db.kysely, workspaceId, taxRate, clock.now().toISOString());
      return { workspaceId, taxRate };
    },

    async getTaxRate(userId: string, workspaceId: string) {
      await access.requireWorkspaceBilling(userId, workspaceId);
      return { workspaceId, taxRate: await findTaxRate(db.kysely, workspaceId) };
    },

    /** What the open period's invoice would say if it closed now. */
    async getUsage(userId: string, workspaceId: string): Promise<UsageView> {
      await access.requireWorkspaceBilling(userId, workspaceId);
      const subscription = await findLiveSubscription(db.kysely, workspaceId);
      if (!subscription) throw notFound('Subscription');
      const [phases, now] = await Promise.all([listPhases(db.kysely, subscription.id), time.nowFor(workspaceId)]);
      const rated = await rating.rateEstimate(db.kysely, subscription, phases);
      const period = rated.period;
      const current = phaseAt(phases, now.toISOString()) ?? phases.at(-1);
      return {
        workspaceId,
        subscriptionId: subscription.id,
        plan: current?.plan_code ?? '',
        periodStart: period.start,
        periodEnd: period.end,
        asOf: now.toISOString(),
        currency: rated.currency,
        quantities: rated.quantities,
        lines: rated.lines.map((line) => ({
          kind: line.kind,
          description: line.description,
          ...(line.meter !== undefined && { meter: line.meter }),
          quantity: line.quantity,
          ...(line.unitAmount !== undefined && { unitAmount: line.unitAmount }),
          amount: line.amount,
        })),
        subtotal: rated.subtotal,
        tax: rated.tax,
        total: rated.total,
      };
    },
  };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
