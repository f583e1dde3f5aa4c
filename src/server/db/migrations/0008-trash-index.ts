import type { Kysely } from 'kysely';

/**
 * The trash's tasks by when they were deleted, so the hourly purge finds the expired ones without reading the
 * whole tasks table (it did, once per run, on the event loop on SQLite). Partial: live tasks (`deleted_at` null),
 * nearly all of them, are not in it, so creating and editing a task costs nothing more.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('tasks_deleted_at')
    .on('tasks')
    .columns(['deleted_at', 'id'])
    .where((eb) => eb('deleted_at', 'is not', null))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
