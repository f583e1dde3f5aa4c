/**
 * Thumbnails and GIF posters: made once per content (keyed by its SHA-256, shared by every upload of the same bytes),
 * inline for small uploads, in a background queue for large ones, and on demand if a preview is asked for before then
 * (or was lost in a crash). Bytes that do not decode are remembered as such (`preview_failed_at`), for every upload
 * of them, and not decoded again.
 */
import type { Logger } from 'pino';
import { uploadRuleOf, type UploadContentTypeId } from '../../../core/content-types/index.js';
import type { BlobStore } from '../../blobs/blob-store.js';
import { pixelLimitsOf, serverContentTypes, type PreviewVariant } from '../../content-types/index.js';
import type { PreviewSource } from '../../content-types/content-type.server.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { UploadsTable } from '../../db/schema.js';
import { inTransaction } from '../../db/unit-of-work.js';
import {
  findPreviewKeysOfContent,
  isContentUsed,
  lockContent,
  recordContentDeletion,
  setPreviewFailureOfContent,
  setPreviewKeysOfContent,
} from './upload.repository.js';

export type PreviewBuffers = Partial<Record<PreviewVariant, Buffer>>;

const columnOf = { thumbnail: 'thumbnail_key', poster: 'poster_key' } as const satisfies Record<PreviewVariant, keyof UploadsTable>;
export const previewKey = (sha256: string, variant: PreviewVariant) => `preview/${sha256.slice(0, 2)}/${sha256}/${variant}.webp`;

export function createPreviewMaker(deps: {
  db: Db;
  log: Logger;
  blobs: BlobStore;
  clock: Clock;
  /** Deletes the content and all its previews from the store if no upload has them, then forgets its recorded deletion. */
  purgeContent: (sha256: string) => Promise<void>;
}) {
  const { log, blobs } = deps;
  const db = deps.db.kysely;
  const inFlight = new Map<string, Promise<void>>();
  let queue: Promise<void> = Promise.resolve();

  const variantsOf = (kind: string) => uploadRuleOf(kind as UploadContentTypeId).previews;
  /** The previews still to make: none once the bytes proved not to decode. */
  const missingOf = (row: UploadsTable) => (row.preview_failed_at !== null ? [] : variantsOf(row.kind).filter((variant) => row[columnOf[variant]] === null));

  /**
   * Decodes the first frame of `source` into each preview the type lists, each on its own: one that fails does not
   * lose the others. Throws when none could be made (the bytes do not decode), or when the source could not be read.
   */
  async function make(kind: UploadContentTypeId, source: () => Promise<PreviewSource>, variants = uploadRuleOf(kind).previews): Promise<PreviewBuffers> {
    const server = serverContentTypes[kind];
    const buffers: PreviewBuffers = {};
    let read: Promise<PreviewSource> | null = null; // read once, for every variant
    let failure: { error: unknown } | null = null;
    for (const variant of variants) {
      const maker = server.previews[variant];
      if (!maker) continue;
      const input = await (read ??= source()); // a read that fails fails them all: nothing was decoded
      try {
        buffers[variant] = await maker(input, pixelLimitsOf(kind));
      } catch (error) {
        failure ??= { error };
        log.warn({ err: error, kind, variant }, 'making a preview failed');
      }
    }
    if (failure && Object.keys(buffers).length === 0) throw failure.error;
    return buffers;
  }

  /**
   * Stores the previews durably, then points every upload of the same bytes at them. If those uploads were all deleted
   * while the previews were being made, the previews go too, with everything else of the content: the delete could
   * not know of files not yet written.
   */
  async function store(sha256: string, buffers: PreviewBuffers): Promise<void> {
    const keys: Partial<Record<'thumbnail_key' | 'poster_key', string>> = {};
    for (const [variant, buffer] of Object.entries(buffers) as [PreviewVariant, Buffer][]) {
      keys[columnOf[variant]] = (await blobs.put(buffer, previewKey(sha256, variant))).key;
    }
    if (Object.keys(keys).length === 0) return;
    const unused = await inTransaction(deps.db, async ({ tx }) => {
      await lockContent(tx, deps.db.dialect, sha256);
      if (await isContentUsed(tx, sha256)) {
        await setPreviewKeysOfContent(tx, sha256, keys);
        return false;
      }
      // Left for the sweep if the store refuses now. A deletion already recorded (the store refused the upload's
      // delete) stays recorded until the content key and every preview are gone, not only the ones made here.
      await recordContentDeletion(tx, sha256, deps.clock.now().toISOString());
      return true;
    });
    if (unused) {
      await deps
        .purgeContent(sha256)
        .catch((error: unknown) => log.warn({ err: error, sha256 }, 'deleting previews of deleted uploads failed; the next sweep retries'));
    }
  }

  /**
   * The stored bytes: a local file in place, or a remote blob read whole (bounded by the type's size limit). A read
   * that fails mid-way rejects here, before any decoding, so it is told apart from bytes that do not decode.
   */
  async function sourceOf(row: UploadsTable): Promise<PreviewSource> {
    if (blobs.localPath) return blobs.localPath(row.blob_key);
    const blob = await blobs.get(row.blob_key);
    if (!blob) throw new Error(`blob ${row.blob_key} of upload ${row.id} is missing`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of blob.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > Number(row.size)) break;
      chunks.push(chunk);
    }
    blob.body.destroy();
    if (size !== Number(row.size)) throw new Error(`blob ${row.blob_key} of upload ${row.id} read ${size} bytes, not ${row.size}`);
    return Buffer.concat(chunks);
  }

  /**
   * Makes this upload's missing previews; concurrent callers for the same bytes share one run. If the bytes do not
   * decode, every upload of them is marked so before this rejects; a blob that could not be read is not.
   */
  function ensure(row: UploadsTable): Promise<void> {
    const missing = missingOf(row);
    if (missing.length === 0) return Promise.resolve();
    const running = inFlight.get(row.sha256);
    if (running) return running;
    const job = (async () => {
      let unreadable = false;
      const source = () =>
        sourceOf(row).catch((error: unknown) => {
          unreadable = true;
          throw error;
        });
      let buffers: PreviewBuffers;
      try {
        buffers = await make(row.kind as UploadContentTypeId, source, missing);
      } catch (error) {
        if (!unreadable) await setPreviewFailureOfContent(db, row.sha256, deps.clock.now().toISOString());
        throw error;
      }
      await store(row.sha256, buffers);
    })().finally(() => inFlight.delete(row.sha256));
    inFlight.set(row.sha256, job);
    return job;
  }

  /** `ensure`, for a row read a while ago: previews made since (on demand, for the same bytes) are not made again. */
  async function ensureLatest(row: UploadsTable): Promise<void> {
    const known = await findPreviewKeysOfContent(db, row.sha256);
    await ensure({
      ...row,
      thumbnail_key: row.thumbnail_key ?? known?.thumbnail_key ?? null,
      poster_key: row.poster_key ?? known?.poster_key ?? null,
      preview_failed_at: row.preview_failed_at ?? known?.preview_failed_at ?? null,
    });
  }

  return {
    make,
    store,
    ensure,
    needsPreviews: (row: UploadsTable) => missingOf(row).length > 0,
    /**
     * In the background, one at a time: a burst of large uploads queues instead of decoding all at once. A job starts
     * no sooner than the next turn of the event loop, once the upload's response is on its way: decoding must not
     * hold up the answer it is not part of.
     */
    schedule(row: UploadsTable): void {
      queue = queue
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => ensureLatest(row))
        .catch((error: unknown) => log.warn({ err: error, uploadId: row.id }, 'preview generation failed'));
    },
    /** Resolves when the background queue is empty (shutdown, tests, benchmarks). */
    async drain(): Promise<void> {
      let current: Promise<void>;
      do {
        current = queue;
        await current;
      } while (current !== queue);
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

export type PreviewMaker = ReturnType<typeof createPreviewMaker>;
