import { sql, type Kysely } from 'kysely';

/**
 * Open tasks with a due date, by list then due date (`GET /api/v1/tasks/due`, "Upcoming"): the query reads, for each
 * of the caller's lists, only its open dated tasks, and from the index alone (it holds every column the query sorts
 * and filters by), instead of every task of every list. Partial: undated, done and deleted tasks are not in it, and a
 * change of a task's title, notes or blocks touches none of its columns, so the edits of the real-time path do not
 * update it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('tasks_open_due')
    .on('tasks')
    .columns(['list_id', 'due_date', 'priority', 'id'])
    .where(sql<boolean>`due_date is not null and completed_at is null and deleted_at is null`)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
