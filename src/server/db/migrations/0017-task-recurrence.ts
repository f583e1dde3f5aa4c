import type { Kysely } from 'kysely';

/** Repeating tasks: the rule, as JSON (`core/recurrence.ts`); null for a task that does not repeat. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('recurrence', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
