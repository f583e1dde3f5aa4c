/** Periodic housekeeping: empty expired trash, forget old idempotency keys. */
import { limits } from '../../core/limits.js';
import type { AppContext } from '../context.js';
import { purgeDeletedTasks } from '../features/tasks/task.repository.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';

export async function runMaintenance(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  await purgeDeletedTasks(ctx.db.kysely, new Date(now.getTime() - limits.trashRetentionDays * 86_400_000).toISOString());
  await purgeIdempotencyKeys(ctx.db.kysely, now);
}

export function startMaintenance(ctx: AppContext, everyMs = 3_600_000): () => void {
  const run = () => runMaintenance(ctx).catch((error: unknown) => ctx.log.error({ err: error }, 'maintenance failed'));
  const timer = setInterval(run, everyMs);
  timer.unref();
  setTimeout(run, 10_000).unref();
  return () => clearInterval(timer);
}
