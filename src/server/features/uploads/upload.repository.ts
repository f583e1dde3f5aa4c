/** The only SQL for uploads, their references from tasks, and per-workspace storage. */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database, UploadsTable, WorkspaceStorageTable } from '../../db/schema.js';
import type { DialectName } from '../../db/database.js';
import { accessibleListIds } from '../lists/list-access.js';

export const insertUpload = (db: Kysely<Database>, upload: UploadsTable) => db.insertInto('uploads').values(upload).execute();

/**
 * Of `ids`, the uploads `userId` may read and put in a block: they uploaded it, or a task that references it is on
 * a list they can see. One query, so serving a file costs one round trip. `lockFor`: held until the transaction ends
 * (PostgreSQL), for a task about to show them: an upload being deleted is waited for, then missing; one not yet
 * deleted cannot be until this transaction's references are committed (`lockUploadForDelete`).
 */
export function findReadableUploads(db: Kysely<Database>, ids: readonly string[], userId: string, lockFor?: DialectName) {
  if (ids.length === 0) return Promise.resolve([]);
  const query = db
    .selectFrom('uploads as u')
    .selectAll('u')
    .where('u.id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb('u.uploaded_by', '=', userId),
        eb.exists(
          eb
            .selectFrom('upload_refs as r')
            .innerJoin('tasks as t', 't.id', 'r.task_id')
            .select('r.upload_id')
            .whereRef('r.upload_id', '=', 'u.id')
            .where('t.list_id', 'in', accessibleListIds(db, userId)),
        ),
      ]),
    );
  return (lockFor === 'postgres' ? query.forKeyShare() : query).execute();
}

/**
 * Of `ids`, the uploads no task shows that a change of `taskId` released (`released_from_task_id`), not yet deleted:
 * whoever may edit that task may bring them back to it (an undo) during the grace period. Locked as
 * `findReadableUploads` locks.
 */
export function findUploadsReleasedFromTask(db: Kysely<Database>, taskId: string, ids: readonly string[], lockFor?: DialectName) {
  const query = db.selectFrom('uploads').selectAll().where('id', 'in', ids).where('released_at', 'is not', null).where('released_from_task_id', '=', taskId);
  return (lockFor === 'postgres' ? query.forKeyShare() : query).execute();
}

export const findReadableUpload = async (db: Kysely<Database>, id: string, userId: string) => (await findReadableUploads(db, [id], userId))[0];

/** Any upload of these bytes in the workspace (the bytes are then already paid for there). */
export const findWorkspaceUploadOfContent = (db: Kysely<Database>, workspaceId: string, sha256: string) =>
  db.selectFrom('uploads').select('id').where('workspace_id', '=', workspaceId).where('sha256', '=', sha256).limit(1).executeTakeFirst();

/** Previews already made for these bytes, by any upload of them, or the time making them failed. */
export const findPreviewKeysOfContent = (db: Kysely<Database>, sha256: string) =>
  db
    .selectFrom('uploads')
    .select(['thumbnail_key', 'poster_key', 'preview_failed_at'])
    .where('sha256', '=', sha256)
    .where((eb) => eb.or([eb('thumbnail_key', 'is not', null), eb('poster_key', 'is not', null), eb('preview_failed_at', 'is not', null)]))
    .limit(1)
    .executeTakeFirst();

export const setPreviewKeysOfContent = (db: Kysely<Database>, sha256: string, keys: Partial<Pick<UploadsTable, 'thumbnail_key' | 'poster_key'>>) =>
  db.updateTable('uploads').set(keys).where('sha256', '=', sha256).execute();

/** The bytes do not decode: every upload of them is marked, so no request decodes them again. */
export const setPreviewFailureOfContent = (db: Kysely<Database>, sha256: string, at: string) =>
  db.updateTable('uploads').set({ preview_failed_at: at }).where('sha256', '=', sha256).where('preview_failed_at', 'is', null).execute();

/** In a query of `uploads`: some task references (shows) the upload. */
const shownByATask = (eb: ExpressionBuilder<Database, 'uploads'>) =>
  eb.exists(eb.selectFrom('upload_refs as r').select('r.upload_id').whereRef('r.upload_id', '=', 'uploads.id'));

/** The uploads `userId` made in the workspace, largest first (then by id), after `after`, and whether a task shows each. */
export const findOwnUploads = (db: Kysely<Database>, workspaceId: string, userId: string, after: { size: number; id: string } | null, limit: number) =>
  db
    .selectFrom('uploads')
    .selectAll('uploads')
    .select((eb) => shownByATask(eb).as('in_use'))
    .where('workspace_id', '=', workspaceId)
    .where('uploaded_by', '=', userId)
    .$if(after !== null, (query) =>
      query.where((eb) => eb.or([eb('size', '<', after!.size), eb.and([eb('size', '=', after!.size), eb('id', '<', after!.id)])])),
    )
    .orderBy('size', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

/**
 * Replaces the task's references with exactly `uploadIds`, keeping `released_at` true: uploads it now shows are in
 * use, and uploads it no longer shows are released at `at`, from this task, unless another task still shows them.
 */
export async function replaceUploadRefs(db: Kysely<Database>, taskId: string, uploadIds: readonly string[], at: string): Promise<void> {
  const unique = [...new Set(uploadIds)];
  const dropped = (await db.deleteFrom('upload_refs').where('task_id', '=', taskId).returning('upload_id').execute())
    .map((row) => row.upload_id)
    .filter((id) => !unique.includes(id));
  if (unique.length > 0) {
    await db
      .insertInto('upload_refs')
      .values(unique.map((upload_id) => ({ upload_id, task_id: taskId })))
      .execute();
    await db
      .updateTable('uploads')
      .set({ released_at: null, released_from_task_id: null })
      .where('id', 'in', unique)
      .where('released_at', 'is not', null)
      .execute();
  }
  if (dropped.length > 0) {
    await db
      .updateTable('uploads')
      .set({ released_at: at, released_from_task_id: taskId })
      .where('id', 'in', dropped)
      .where((eb) => eb.not(shownByATask(eb)))
      .execute();
  }
}

/**
 * Makes `released_at` true again where it went wrong: uploads whose last reference went without `replaceUploadRefs`
 * (a task purged from the trash, a deleted list) are released at `at`; uploads a task shows again are not released
 * (two tasks changing at once on PostgreSQL can each miss the other's reference).
 */
export async function correctReleases(db: Kysely<Database>, at: string): Promise<void> {
  await db
    .updateTable('uploads')
    .set({ released_at: at })
    .where('released_at', 'is', null)
    .where((eb) => eb.not(shownByATask(eb)))
    .execute();
  await db.updateTable('uploads').set({ released_at: null, released_from_task_id: null }).where('released_at', 'is not', null).where(shownByATask).execute();
}

/** Uploads released before `before`, oldest first. */
export const findReleasedUploads = (db: Kysely<Database>, before: string, limit: number) =>
  db.selectFrom('uploads').select(['id', 'workspace_id']).where('released_at', '<', before).orderBy('released_at').limit(limit).execute();

/**
 * Locks the upload row before `deleteUnusedUpload` (PostgreSQL; SQLite has one writer): a task showing it that
 * committed meanwhile is then seen by the delete's own, later snapshot, instead of losing its reference to the cascade.
 */
export async function lockUploadForDelete(db: Kysely<Database>, dialect: DialectName, id: string): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('uploads').select('id').where('id', '=', id).forUpdate().execute();
}

/**
 * Deletes the upload if no task shows it (and, with `releasedBefore`, it was released before then); the deleted row,
 * if it was.
 */
export const deleteUnusedUpload = (db: Kysely<Database>, id: string, releasedBefore: string | null) =>
  db
    .deleteFrom('uploads')
    .where('id', '=', id)
    .$if(releasedBefore !== null, (query) => query.where('released_at', '<', releasedBefore))
    .where((eb) => eb.not(shownByATask(eb)))
    .returningAll()
    .executeTakeFirst();

/** The oldest other upload of these bytes in the workspace: it pays for them once the one that did is gone. */
export const findHeirOfContent = (db: Kysely<Database>, workspaceId: string, sha256: string) =>
  db
    .selectFrom('uploads')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('sha256', '=', sha256)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();

export const setChargedBytes = (db: Kysely<Database>, id: string, bytes: number) =>
  db.updateTable('uploads').set({ charged_bytes: bytes }).where('id', '=', id).execute();

/** Whether any upload, in any workspace, still has these bytes. */
export const isContentUsed = async (db: Kysely<Database>, sha256: string) =>
  (await db.selectFrom('uploads').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst()) !== undefined;

/**
 * Serializes, per content hash, storing bytes for a new upload and deleting bytes no upload has any more (PostgreSQL;
 * SQLite has one writer): the two cannot interleave, so a new upload never points at bytes being deleted.
 */
export async function lockContent(db: Kysely<Database>, dialect: DialectName, sha256: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${contentLockKey(sha256)}::bigint)`.execute(db);
}

/** The first 60 bits of the hash: a bigint key, distinct per content in practice. */
const contentLockKey = (sha256: string) => BigInt(`0x${sha256.slice(0, 15)}`).toString();

/**
 * `lockContent` held by the connection itself, across statements and outside any transaction, until
 * `unlockContentOfSession` (PostgreSQL only: session and transaction advisory locks of one key exclude each other).
 */
export async function lockContentForSession(connection: Kysely<Database>, sha256: string): Promise<void> {
  await sql`select pg_advisory_lock(${contentLockKey(sha256)}::bigint)`.execute(connection);
}

export async function unlockContentOfSession(connection: Kysely<Database>, sha256: string): Promise<void> {
  await sql`select pg_advisory_unlock(${contentLockKey(sha256)}::bigint)`.execute(connection);
}

/** Bytes no upload has any more, still to delete from the blob store (migration 0016). */
interface ContentDeletionsTable {
  sha256: string;
  since: string;
}
const withContentDeletions = (db: Kysely<Database>) => db.withTables<{ content_deletions: ContentDeletionsTable }>();

/** Records that these bytes and their previews are to be deleted from the store (once: a second record is a no-op). */
export const recordContentDeletion = (db: Kysely<Database>, sha256: string, since: string) =>
  withContentDeletions(db)
    .insertInto('content_deletions')
    .values({ sha256, since })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();

export const forgetContentDeletion = (db: Kysely<Database>, sha256: string) =>
  withContentDeletions(db).deleteFrom('content_deletions').where('sha256', '=', sha256).execute();

/** The oldest deletions still to do. */
export const findContentDeletions = (db: Kysely<Database>, limit: number) =>
  withContentDeletions(db).selectFrom('content_deletions').select('sha256').orderBy('since').orderBy('sha256').limit(limit).execute();

export const findStorage = (db: Kysely<Database>, workspaceId: string) =>
  db.selectFrom('workspace_storage').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();

/**
 * The workspace's storage row, locked until the transaction ends (PostgreSQL; SQLite has one writer), so that two
 * uploads cannot both fit the same free space.
 */
export async function lockStorage(db: Kysely<Database>, dialect: DialectName, workspaceId: string): Promise<WorkspaceStorageTable> {
  await db
    .insertInto('workspace_storage')
    .values({ workspace_id: workspaceId, used_bytes: 0, quota_bytes: null, image_max_bytes: null, file_max_bytes: null })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
  let query = db.selectFrom('workspace_storage').selectAll().where('workspace_id', '=', workspaceId);
  if (dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

export const addStorageUsage = (db: Kysely<Database>, workspaceId: string, bytes: number) =>
  db
    .updateTable('workspace_storage')
    .set({ used_bytes: sql`used_bytes + ${bytes}` })
    .where('workspace_id', '=', workspaceId)
    .execute();

/** Plans change these: null restores the default. */
export async function setStorageLimits(
  db: Kysely<Database>,
  workspaceId: string,
  limits: Partial<Pick<WorkspaceStorageTable, 'quota_bytes' | 'image_max_bytes' | 'file_max_bytes'>>,
): Promise<void> {
  await db
    .insertInto('workspace_storage')
    .values({ workspace_id: workspaceId, used_bytes: 0, quota_bytes: null, image_max_bytes: null, file_max_bytes: null, ...limits })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(limits))
    .execute();
}
