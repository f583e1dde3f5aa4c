import type { Kysely } from 'kysely';

/**
 * Uploads (rich content): one row per upload, bytes stored once per SHA-256 in the blob store; which tasks
 * reference which upload (read access follows the lists of those tasks); per-workspace storage usage and limits.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    // What this upload added to its workspace's usage: 0 when the workspace already held the same bytes.
    .addColumn('charged_bytes', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('frames', 'integer')
    .addColumn('thumbnail_key', 'text')
    .addColumn('poster_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uploads_workspace_sha256').on('uploads').columns(['workspace_id', 'sha256']).execute();
  await db.schema.createIndex('uploads_sha256').on('uploads').column('sha256').execute();
  await db.schema.createIndex('uploads_uploaded_by').on('uploads').column('uploaded_by').execute();

  // The list a reference grants access through is the task's current list (joined), so moving a task needs no update here.
  await db.schema
    .createTable('upload_refs')
    .addColumn('upload_id', 'text', (c) => c.notNull().references('uploads.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('upload_refs_pk', ['upload_id', 'task_id'])
    .execute();
  await db.schema.createIndex('upload_refs_task').on('upload_refs').column('task_id').execute();

  await db.schema
    .createTable('workspace_storage')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('used_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    // Null means the default; plans set them.
    .addColumn('quota_bytes', 'bigint')
    .addColumn('image_max_bytes', 'bigint')
    .addColumn('file_max_bytes', 'bigint')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
