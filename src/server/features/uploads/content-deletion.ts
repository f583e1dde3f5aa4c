/**
 * Deleting stored bytes and their previews once no upload has them (recorded in `content_deletions`), with the blob
 * store's requests made outside any transaction: a store that is slow or does not answer (each request may wait up to
 * its 2-minute header timeout) must not hold SQLite's only writer, nor a PostgreSQL transaction.
 *
 * The ordering, per content hash:
 * 1. `hold` the content: on every node an in-process lock, which an upload of the same bytes also takes around its
 *    transaction (`whileUploading`); on PostgreSQL also the advisory lock `lockContent` takes, at session level, on a
 *    connection kept for the purge (an upload on another node waits for it in its transaction).
 * 2. While held: if no upload has the bytes, delete the content key and every preview variant from the store; then
 *    forget the record. A delete the store refuses throws, and the record stays for the next sweep.
 * 3. Release.
 * No upload of those bytes can commit between the check in 2 and the last delete: a new upload waits in 1, then finds
 * the bytes gone and stores them again (its `commit` puts what the store does not have). Had the deletes run after a
 * short transaction and before a second one, an upload could commit in between, find the old copy still there, keep it
 * (write-once keys are not written again) and lose it to a DELETE still on its way. Since nothing can make the bytes
 * used again while held, the record is forgotten without another check.
 */
import type { Kysely } from 'kysely';
import { uploadContentTypeIds, uploadRuleOf } from '../../../core/content-types/index.js';
import { contentKey, type BlobStore } from '../../blobs/blob-store.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { previewKey } from './upload-previews.js';
import { forgetContentDeletion, isContentUsed, lockContentForSession, unlockContentOfSession } from './upload.repository.js';

/** Every preview any type makes: a content's previews are deleted with it, whatever its type. */
const allPreviewVariants = [...new Set(uploadContentTypeIds.flatMap((id) => uploadRuleOf(id).previews))];

export function createContentDeleter(deps: { db: Db; blobs: BlobStore }) {
  const { db, blobs } = deps;
  /** Per content hash, the end of the last holder's turn: holders run one at a time, in arrival order. */
  const turns = new Map<string, Promise<void>>();

  /** Runs `work` while no one else on this node holds the same content. */
  async function whileUploading<T>(sha256: string, work: () => Promise<T>): Promise<T> {
    const before = turns.get(sha256) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before.then(() => mine);
    turns.set(sha256, tail);
    await before;
    try {
      return await work();
    } finally {
      done();
      if (turns.get(sha256) === tail) turns.delete(sha256);
    }
  }

  /** Runs `work` holding the content on this node and, on PostgreSQL, across the cluster; `work` queries through `q`. */
  function hold<T>(sha256: string, work: (q: Kysely<Database>) => Promise<T>): Promise<T> {
    return whileUploading(sha256, () => {
      if (db.dialect !== 'postgres') return work(db.kysely);
      return db.kysely.connection().execute(async (connection) => {
        await lockContentForSession(connection, sha256);
        try {
          return await work(connection);
        } finally {
          await unlockContentOfSession(connection, sha256);
        }
      });
    });
  }

  return {
    whileUploading,
    /**
     * Deletes the stored bytes and previews of a recorded content deletion, unless an upload has them again, and then
     * forgets the record. Throws (keeping the record) when the store refuses a delete.
     */
    purgeContent(sha256: string): Promise<void> {
      return hold(sha256, async (q) => {
        if (!(await isContentUsed(q, sha256))) {
          // The previews' usual places too: ones being made as this runs are not recorded on any row yet.
          for (const key of [contentKey(sha256), ...allPreviewVariants.map((variant) => previewKey(sha256, variant))]) await blobs.delete(key);
        }
        await forgetContentDeletion(q, sha256);
      });
    },
  };
}

export type ContentDeleter = ReturnType<typeof createContentDeleter>;
