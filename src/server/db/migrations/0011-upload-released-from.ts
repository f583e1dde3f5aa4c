import type { Kysely } from 'kysely';

/**
 * The task whose change released an upload (`released_from_task_id`: it stopped showing it, and no other task did), so
 * that whoever may edit that task can bring the upload back (an undo) during the grace period, though they did not
 * upload it and, with no task showing it, can no longer read it. Null while a task shows it, and for uploads never
 * shown or released otherwise. Not a foreign key: a task purged meanwhile simply matches nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('released_from_task_id', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
