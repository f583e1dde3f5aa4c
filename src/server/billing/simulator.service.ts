/**
 * Pricing simulator: replays the recorded engagement of [from, to) under candidate plans — the same
 * meters and rating as invoices — and compares each workspace with what its current plan bills for
 * the same time. List prices: trials and plan changes of the past are not replayed.
 */
import { Decimal } from '../../core/billing/decimal.js';
import { rateInvoice } from '../../core/billing/invoice.js';
import { formatMoney } from '../../core/billing/money.js';
import { segmentShare } from '../../core/billing/period-invoice.js';
import { periodsBetween } from '../../core/billing/periods.js';
import type { PlanView, SimulateBody, SimulateResult } from '../../core/schemas/billing.js';
import type { AppContext } from '../context.js';
import type { PlanService } from './plan.service.js';
import type { RatingService } from './rating.service.js';
import { findLiveSubscription, listPhases } from './subscription.repository.js';
import { listEngagedWorkspaces } from './usage.repository.js';

export type Progress = (done: number, total: number) => void;

export function createSimulatorService(ctx: Pick<AppContext, 'db'>, deps: { plans: PlanService; rating: RatingService }) {
  const { db } = ctx;
  const { plans, rating } = deps;

  /** What `plan` would have billed the workspace for [from, to), before tax: calendar periods in its time zone, the edges prorated. */
  async function billFor(workspaceId: string, plan: PlanView, timezone: string, from: string, to: string): Promise<Decimal> {
    let total = new Decimal(0);
    for (const period of periodsBetween({ startAt: from, interval: plan.interval, anchor: 'calendar', timezone }, from, to)) {
      const sliceFrom = period.start > from ? period.start : from;
      const sliceTo = period.end < to ? period.end : to;
      const { quantities } = await rating.measure(db.kysely, workspaceId, plan, period, sliceFrom, sliceTo);
      const rated = rateInvoice({ plan, period, quantities, taxRate: new Decimal(0), proration: segmentShare(period, sliceFrom, sliceTo) });
      total = total.plus(rated.subtotal);
    }
    return total;
  }

  return {
    async simulate(body: SimulateBody, onProgress?: Progress): Promise<SimulateResult> {
      const from = new Date(body.from).toISOString();
      const to = new Date(body.to).toISOString();
      const candidates = await Promise.all(body.plans.map((code) => plans.requirePlan(code)));
      // A workspace named twice is simulated (and counted in the revenue) once.
      const workspaceIds = body.workspaceIds ? [...new Set(body.workspaceIds)] : await listEngagedWorkspaces(db.kysely, from, to);
      const summary = candidates.map((plan) => ({
        plan: plan.code,
        currency: plan.currency,
        revenue: new Decimal(0),
        workspaces: 0,
        distribution: { more: 0, less: 0, same: 0, notComparable: 0 },
      }));
      const workspaces: SimulateResult['workspaces'] = [];
      onProgress?.(0, workspaceIds.length);
      for (const [index, workspaceId] of workspaceIds.entries()) {
        const subscription = await findLiveSubscription(db.kysely, workspaceId);
        const timezone = subscription?.timezone ?? 'UTC';
        let current: { plan: PlanView; amount: Decimal } | null = null;
        if (subscription) {
          const phases = await listPhases(db.kysely, subscription.id);
          const plan = await rating.planOf(phases.at(-1)!.plan_code);
          current = { plan, amount: await billFor(workspaceId, plan, timezone, from, to) };
        }
        const byPlan: Record<string, string> = {};
        for (const [planIndex, plan] of candidates.entries()) {
          const amount = await billFor(workspaceId, plan, timezone, from, to);
          byPlan[plan.code] = formatMoney(amount, plan.currency);
          const entry = summary[planIndex]!;
          entry.revenue = entry.revenue.plus(amount);
          entry.workspaces += 1;
          if (!current || current.plan.currency !== plan.currency) entry.distribution.notComparable += 1;
          else if (amount.gt(current.amount)) entry.distribution.more += 1;
          else if (amount.lt(current.amount)) entry.distribution.less += 1;
          else entry.distribution.same += 1;
        }
        workspaces.push({
          workspaceId,
          currentPlan: current?.plan.code ?? null,
          current: current ? { currency: current.plan.currency, amount: formatMoney(current.amount, current.plan.currency) } : null,
          byPlan,
        });
        onProgress?.(index + 1, workspaceIds.length);
      }
      return {
        from,
        to,
        plans: summary.map((entry) => ({ ...entry, revenue: formatMoney(entry.revenue, entry.currency) })),
        workspaces,
      };
    },
  };
}

export type SimulatorService = ReturnType<typeof createSimulatorService>;
