import { sql, type Kysely } from 'kysely';

/**
 * When an upload stopped being shown by any task (`released_at`), so unused uploads can be deleted after a grace
 * period and give their storage back. Null while a task references it; an upload no task ever referenced was released
 * when it was made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('released_at', 'text').execute();
  await sql`update uploads set released_at = created_at where not exists (select 1 from upload_refs r where r.upload_id = uploads.id)`.execute(db);
  await db.schema.createIndex('uploads_released_at').on('uploads').column('released_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
