/** Wires the billing services together; the app registers the routes and the CLI runs the jobs with it. */
import type { AppContext } from '../context.js';
import { createBillingAccess } from './billing-access.js';
import { createBillingTime } from './billing-time.js';
import { createEventIngestService } from './event-ingest.service.js';
import { createFinalizeJob } from './finalize.job.js';
import { createInvoiceService } from './invoice.service.js';
import { createMeterService } from './meter.service.js';
import { createPlanService } from './plan.service.js';
import { createRatingService } from './rating.service.js';
import { createSimulatorService } from './simulator.service.js';
import { createSubscriptionService } from './subscription.service.js';
import { createTestClockService } from './test-clock.service.js';

export function createBilling(ctx: AppContext) {
  const access = createBillingAccess(ctx.db.kysely, ctx.config);
  const time = createBillingTime(ctx.db.kysely, ctx.clock);
  const meters = createMeterService(ctx);
  const plans = createPlanService(ctx, meters);
  const rating = createRatingService({ meters, plans });
  const invoices = createInvoiceService(ctx, rating, access, time);
  const job = createFinalizeJob(ctx, rating, invoices);
  return {
    access,
    time,
    meters,
    plans,
    rating,
    invoices,
    job,
    events: createEventIngestService(ctx, meters, access, time),
    subscriptions: createSubscriptionService(ctx, { access, plans, rating, invoices, time, job }),
    testClocks: createTestClockService(ctx, { access, job, time }),
    simulator: createSimulatorService(ctx, { plans, rating }),
  };
}

export type Billing = ReturnType<typeof createBilling>;

declare module 'fastify' {
  interface FastifyInstance {
    billing: Billing;
  }
}
