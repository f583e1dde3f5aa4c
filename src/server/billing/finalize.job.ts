/**
 * Closes billing periods. When a subscription's period ends, one transaction moves the subscription
 * to its next period (a conditional UPDATE: the node whose update matches does it) and writes the
 * period's draft invoice (UNIQUE (subscription_id, period_start, kind): a second insert does nothing).
 * After the grace period for late events, each draft is finalized exactly once (see `finalizeDraft`).
 * Everything is idempotent: running twice, on many nodes, or again after a crash, closes each period once.
 */
import { Cron } from 'croner';
import { nextPeriod } from '../../core/billing/periods.js';
import type { AppContext } from '../context.js';
import { inTransaction } from '../db/unit-of-work.js';
import { listDraftInvoices } from './invoice.repository.js';
import type { InvoiceService } from './invoice.service.js';
import { scheduleOf, type RatingService } from './rating.service.js';
import {
  advancePeriod,
  endOpenPhases,
  findSubscription,
  listPhases,
  listSubscriptionsToClose,
  listSubscriptionsWithDrafts,
  type SubscriptionRow,
} from './subscription.repository.js';

export interface CloseScope {
  /** Subscriptions on this test clock; null: those on the server clock. */
  testClockId: string | null;
  now: Date;
  /** Called as work is done (for the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface CloseResult {
  periodsClosed: number;
  invoicesFinalized: number;
  /** Steps another node held the database for; the next run picks them up. */
  skippedBusy: number;
  /** Subscriptions that failed (logged); the others were closed, and the next run tries these again. */
  failed: number;
}

/** SQLite's answer when another process holds the write lock past the busy timeout (or moved the snapshot). */
const isBusy = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

export function createFinalizeJob(ctx: Pick<AppContext, 'db' | 'config' | 'log'>, rating: RatingService, invoices: InvoiceService) {
  const { db, config, log } = ctx;
  const graceMs = config.billingGraceMinutes * 60_000;

  /** Closes the subscription's ended periods up to `now`, one transaction per period. */
  async function closeEndedPeriods(subscriptionId: string, now: string, result: CloseResult): Promise<void> {
    for (;;) {
      const subscription = await findSubscription(db.kysely, subscriptionId);
      if (!subscription || subscription.status !== 'active' || subscription.current_period_end > now) return;
      const phases = await listPhases(db.kysely, subscription.id);
      const period = await rating.periodAt(subscription, phases, subscription.current_period_start);
      const next = nextPeriod(scheduleOf(subscription, await rating.intervalOf(phases)), period);
      const endedAt = subscription.cancel_at_period_end === 1 ? period.end : null;
      const currency = (await rating.planOf(phases[0]!.plan_code)).currency;
      try {
        const closed = await inTransaction(db, async ({ tx }) => {
          // The conditional write comes first: it takes the write lock (SQLite) or the row lock (PostgreSQL) before any read.
          if (!(await advancePeriod(tx, subscription.id, period.start, { start: next.start, end: next.end, updatedAt: now, endedAt }))) return false;
          const closedSubscription: SubscriptionRow = endedAt ? { ...subscription, status: 'canceled', ended_at: endedAt } : subscription;
          if (endedAt) await endOpenPhases(tx, subscription.id, endedAt);
          await invoices.createDraft(tx, closedSubscription, period, currency);
          return true;
        });
        if (closed) result.periodsClosed += 1;
      } catch (error) {
        if (!isBusy(error)) throw error;
        result.skippedBusy += 1;
        return;
      }
    }
  }

  /** Finalizes the subscription's drafts whose grace period is over, oldest first. */
  async function finalizeDue(subscriptionId: string, now: Date, result: CloseResult): Promise<void> {
    for (const draft of await listDraftInvoices(db.kysely, subscriptionId)) {
      if (Date.parse(draft.period_end) + graceMs > now.getTime()) return;
      try {
        if (await invoices.finalizeDraft(draft.id, now.toISOString())) result.invoicesFinalized += 1;
      } catch (error) {
        if (!isBusy(error)) throw error;
        result.skippedBusy += 1;
        return;
      }
    }
  }

  /**
   * Runs one subscription's step; a failure is logged and counted, never stops the others: one bad
   * subscription must not leave everyone's periods open.
   */
  async function isolated(subscription: SubscriptionRow, step: 'close' | 'finalize', result: CloseResult, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      result.failed += 1;
      log.error(
        { err: error, subscriptionId: subscription.id, workspaceId: subscription.workspace_id, step },
        'billing: a subscription could not be closed; the others go on',
      );
    }
  }

  async function closeDuePeriods(scope: CloseScope): Promise<CloseResult> {
    const result: CloseResult = { periodsClosed: 0, invoicesFinalized: 0, skippedBusy: 0, failed: 0 };
    const now = scope.now.toISOString();
    const toClose = await listSubscriptionsToClose(db.kysely, { testClockId: scope.testClockId, now });
    const total = toClose.length;
    let done = 0;
    scope.onProgress?.(done, total);
    for (const subscription of toClose) {
      await isolated(subscription, 'close', result, () => closeEndedPeriods(subscription.id, now, result));
      scope.onProgress?.(++done, total + 1);
    }
    const withDrafts = await listSubscriptionsWithDrafts(db.kysely, {
      testClockId: scope.testClockId,
      dueBefore: new Date(scope.now.getTime() - graceMs).toISOString(),
    });
    const grandTotal = total + withDrafts.length;
    for (const subscription of withDrafts) {
      await isolated(subscription, 'finalize', result, () => finalizeDue(subscription.id, scope.now, result));
      scope.onProgress?.(++done, grandTotal);
    }
    scope.onProgress?.(grandTotal, grandTotal);
    if (result.periodsClosed + result.invoicesFinalized + result.failed > 0) log.info({ ...result, testClockId: scope.testClockId }, 'billing periods closed');
    return result;
  }

  return {
    closeDuePeriods,

    /** Closes what is due for one subscription (before a plan change, so the change lands in the right period). */
    async closeSubscription(subscription: SubscriptionRow, now: Date): Promise<void> {
      const result: CloseResult = { periodsClosed: 0, invoicesFinalized: 0, skippedBusy: 0, failed: 0 };
      await closeEndedPeriods(subscription.id, now.toISOString(), result);
      await finalizeDue(subscription.id, now, result);
    },

    /** Every minute on the server clock; returns a stop function. */
    start(clock: AppContext['clock']): () => void {
      const cron = new Cron('* * * * *', { protect: true, catch: (error) => log.error({ err: error }, 'billing close failed') }, async () => {
        await closeDuePeriods({ testClockId: null, now: clock.now() });
      });
      return () => cron.stop();
    },
  };
}

export type FinalizeJob = ReturnType<typeof createFinalizeJob>;
