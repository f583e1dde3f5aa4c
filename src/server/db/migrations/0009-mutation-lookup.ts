import type { Kysely } from 'kysely';

/**
 * The changes a request made, by its mutation id (its `Idempotency-Key`) and actor, so a retried PATCH or DELETE
 * is found to be done already and is not made again over a collaborator's later change. Partial: changes made
 * without a key are not in it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activity_events_mutation')
    .on('activity_events')
    .columns(['mutation_id', 'actor_id'])
    .where((eb) => eb('mutation_id', 'is not', null))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
