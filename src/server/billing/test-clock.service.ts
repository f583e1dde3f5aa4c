/**
 * Test clocks (as in Stripe): a frozen time that subscriptions attached to it live by. Advancing it
 * closes and finalizes every period of those subscriptions that ends on the way, as if time had passed.
 */
import { AppError, notFound } from '../../core/errors.js';
import { simulateMaxDays } from '../../core/schemas/billing.js';
import type { AppContext } from '../context.js';
import { newId } from '../ids.js';
import type { BillingAccess } from './billing-access.js';
import type { BillingTime } from './billing-time.js';
import type { CloseResult, FinalizeJob } from './finalize.job.js';
import { advanceTestClock, findTestClock, insertTestClock } from './test-clock.repository.js';

/** How far one advance may move a clock: as far as a simulation may span. */
const maxAdvanceDays = simulateMaxDays;

export function createTestClockService(ctx: Pick<AppContext, 'db' | 'clock'>, deps: { access: BillingAccess; job: FinalizeJob; time: BillingTime }) {
  const { db, clock } = ctx;
  const { access, job, time } = deps;
  return {
    async createTestClock(userId: string, frozenTime: string) {
      await access.requireAdmin(userId);
      const now = clock.now().toISOString();
      const row = { id: newId(), frozen_time: new Date(frozenTime).toISOString(), created_at: now, updated_at: now };
      await insertTestClock(db.kysely, row);
      return { id: row.id, frozenTime: row.frozen_time };
    },

    async getTestClock(userId: string, clockId: string) {
      await access.requireAdmin(userId);
      const row = await findTestClock(db.kysely, clockId);
      if (!row) throw notFound('Test clock');
      return { id: row.id, frozenTime: row.frozen_time };
    },

    async advanceTestClock(userId: string, clockId: string, frozenTime: string): Promise<{ id: string; frozenTime: string; closed: CloseResult }> {
      await access.requireAdmin(userId);
      const target = new Date(frozenTime).toISOString();
      const row = await findTestClock(db.kysely, clockId);
      if (!row) throw notFound('Test clock');
      // Each advance closes every period it passes, for every subscription on the clock, in this request: 2099 from
      // 2026 was 880 monthly periods apiece. As far as a simulation spans; further is several advances.
      if (new Date(target).getTime() - new Date(row.frozen_time).getTime() > maxAdvanceDays * 86_400_000) {
        throw new AppError('unprocessable', `frozenTime: a test clock moves at most ${maxAdvanceDays} days at a time`, {
          errors: [{ field: 'frozenTime', message: `is more than ${maxAdvanceDays} days after the clock; advance it in steps` }],
        });
      }
      if (!(await advanceTestClock(db.kysely, clockId, target, clock.now().toISOString()))) {
        throw new AppError('unprocessable', 'frozenTime: a test clock only moves forward', {
          errors: [{ field: 'frozenTime', message: 'is before the clock' }],
        });
      }
      await time.refresh();
      const closed = await job.closeDuePeriods({ testClockId: clockId, now: new Date(target) });
      return { id: clockId, frozenTime: target, closed };
    },
  };
}

export type TestClockService = ReturnType<typeof createTestClockService>;
