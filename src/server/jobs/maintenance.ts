/** Periodic housekeeping: empty expired trash, forget old idempotency keys, delete uploads no task shows any more. */
import type { AppContext } from '../context.js';
import { purgeDeletedTasks, trashCutoff } from '../features/tasks/task.repository.js';
import type { UploadService } from '../features/uploads/upload.service.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';

export async function runMaintenance(ctx: AppContext, uploads: Pick<UploadService, 'sweepReleasedUploads'>): Promise<void> {
  const now = ctx.clock.now();
  // In batches, yielding between them (`purgeDeletedTasks`): a big trash does not hold the event loop.
  const purgedTasks = await purgeDeletedTasks(ctx.db, trashCutoff(now));
  if (purgedTasks > 0) ctx.log.info({ purgedTasks }, 'emptied expired trash');
  await purgeIdempotencyKeys(ctx.db.kysely, now);
  // After the purge: the uploads only purged tasks showed start their grace period now.
  const deletedUploads = await uploads.sweepReleasedUploads();
  if (deletedUploads > 0) ctx.log.info({ deletedUploads }, 'deleted uploads no task shows');
}

export function startMaintenance(ctx: AppContext, uploads: Pick<UploadService, 'sweepReleasedUploads'>, everyMs = 3_600_000): () => void {
  const run = () => runMaintenance(ctx, uploads).catch((error: unknown) => ctx.log.error({ err: error }, 'maintenance failed'));
  const timer = setInterval(run, everyMs);
  timer.unref();
  setTimeout(run, 10_000).unref();
  return () => clearInterval(timer);
}
