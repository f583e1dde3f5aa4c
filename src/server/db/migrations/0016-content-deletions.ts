import type { Kysely } from 'kysely';

/**
 * Stored bytes no upload has any more, still to be deleted from the blob store: the content and its previews, named by
 * the content's SHA-256 (their keys derive from it). Recorded in the transaction that deletes the last upload of them,
 * removed once the store has deleted them, or once an upload of the same bytes arrived meanwhile. A store that refuses
 * (S3 unavailable) leaves the row for the hourly maintenance to retry, so no bytes stay in the bucket for good.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('content_deletions')
    .addColumn('sha256', 'text', (col) => col.primaryKey())
    .addColumn('since', 'text', (col) => col.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
