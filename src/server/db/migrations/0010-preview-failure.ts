import type { Kysely } from 'kysely';

/**
 * When making an upload's previews failed because its bytes do not decode (`preview_failed_at`), so a thumbnail
 * request answers at once instead of decoding the same corrupt image again each time. Null while previews were never
 * tried, are being made, or were made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('preview_failed_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
