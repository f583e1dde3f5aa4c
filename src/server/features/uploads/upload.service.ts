/**
 * Uploads: stream the body to a staging file while checking it (size, sniffed type, structure, pixel and frame
 * budget), then, in one transaction, take the quota and record the upload, committing the bytes durably before that
 * transaction does. Serving checks who may read, and makes missing previews on demand.
 */
import { finished, type Readable } from 'node:stream';
import { uploadContentTypeIds, uploadRuleOf, type UploadContentTypeId } from '../../../core/content-types/index.js';
import { formatBytes } from '../../../core/content-types/definition.js';
import { limits } from '../../../core/limits.js';
import { AppError, forbidden, invalidField, notFound } from '../../../core/errors.js';
import { idSchema } from '../../../core/schemas/common.js';
import { z } from 'zod';
import { cursorText, decodeCursorAs, toPage } from '../../http/cursor.js';
import { uploadDefaults, type OwnUpload, type Upload, type WorkspaceStorage } from '../../../core/schemas/uploads.js';
import type { Page } from '../../../core/schemas/common.js';
import { contentKey, type BlobStore, type BlobWriter } from '../../blobs/blob-store.js';
import type { ImageInfo } from '../../content-types/formats/image-limits.js';
import type { StreamParser } from '../../content-types/formats/stream-parser.js';
import { pixelLimitsOf, serverContentTypes, uploadTypeFor, type PreviewVariant } from '../../content-types/index.js';
import { assertExtensionMatches, sniff, sniffBytes } from '../../content-types/sniff.js';
import type { AppContext } from '../../context.js';
import type { UploadsTable, WorkspaceStorageTable } from '../../db/schema.js';
import { inTransaction } from '../../db/unit-of-work.js';
import { newId } from '../../ids.js';
import { authorizeList } from '../lists/list-access.js';
import { findPersonalWorkspace, findWorkspaceRole } from '../workspaces/workspace.repository.js';
import { sanitizeFileName } from './file-name.js';
import { createContentDeleter } from './content-deletion.js';
import { createPreviewMaker, type PreviewBuffers } from './upload-previews.js';
import { presentUpload } from './upload.presenter.js';
import {
  addStorageUsage,
  correctReleases,
  deleteUnusedUpload,
  findContentDeletions,
  recordContentDeletion,
  findHeirOfContent,
  findPreviewKeysOfContent,
  findReadableUpload,
  findReleasedUploads,
  findStorage,
  findWorkspaceUploadOfContent,
  insertUpload,
  findOwnUploads,
  lockContent,
  lockStorage,
  lockUploadForDelete,
  setChargedBytes,
} from './upload.repository.js';

/** Previews of uploads at most this big are made before answering (and prove the image decodes); larger ones later. */
const inlinePreviewMaxBytes = 1024 * 1024;
const inlinePreviewMaxPixels = 4_000_000;
/** Multipart boundaries and part headers around the file. */
const multipartOverheadBytes = 16 * 1024;
/** The key of `GET /api/v1/uploads` pages: size, then id (largest first). */
const ownUploadsCursor = z.tuple([z.number().int(), cursorText]);
/** Uploads deleted per sweep, and stored bytes whose deletion is retried; the next sweep goes on with the rest. */
const sweepBatch = 500;

/** An upload's bytes, or one of its previews, that a caller may read: all serving needs before opening them. */
export interface ServableUpload {
  upload: UploadsTable;
  variant: 'content' | PreviewVariant;
  /** Where the bytes are stored. */
  key: string;
  /** The content's size, from its row; null for a preview, whose size only its stored blob knows. */
  size: number | null;
  mimeType: string;
  disposition: 'inline' | 'attachment';
  name: string;
}

/** Where an upload goes and what it may weigh there. */
export interface UploadTarget {
  workspaceId: string;
  quotaBytes: number;
  maxBytes: Record<UploadContentTypeId, number>;
}

export interface IncomingFile {
  filename: string | undefined;
  stream: Readable & { truncated?: boolean };
  /** Reads what follows the file in the request once it is read; rejects (400) when that must refuse the upload. */
  checkRestOfForm?: () => Promise<void>;
}

const num = (value: number | string | null | undefined) => (value === null || value === undefined ? null : Number(value));

/** Per-workspace limits; null columns take the defaults. Decoded types (with previews) share the image limit. */
function uploadLimitsOf(storage: WorkspaceStorageTable | undefined): Omit<UploadTarget, 'workspaceId'> {
  const maxBytes = {} as Record<UploadContentTypeId, number>;
  for (const id of uploadContentTypeIds) {
    const rule = uploadRuleOf(id);
    const override = rule.previews.length > 0 ? storage?.image_max_bytes : storage?.file_max_bytes;
    maxBytes[id] = num(override) ?? rule.maxBytes;
  }
  return { quotaBytes: num(storage?.quota_bytes) ?? uploadDefaults.quotaBytes, maxBytes };
}

const plural: Record<string, string> = { image: 'images', gif: 'GIFs', file: 'files' };
const tooLarge = (type: UploadContentTypeId, maxBytes: number) =>
  new AppError('payload_too_large', `The file is larger than ${formatBytes(maxBytes)}, the limit for ${plural[type] ?? `${type} uploads`} in this workspace`, {
    extensions: { maxBytes },
  });

interface Received {
  type: UploadContentTypeId;
  mime: string;
  info: ImageInfo | null;
}

/**
 * Hands each chunk of `stream` to `take`, in order, in the 'data' event itself: no promise or turn of the event loop
 * per chunk. While a promise `take` returned is pending, the stream is paused. Settles when the stream has ended and
 * the last promise resolved; rejects at the first error (thrown, rejected, or the stream failing or closing early).
 * Either way the stream is then destroyed, as `for await` does, so nothing more of the body is read.
 */
function eachChunk(stream: Readable, take: (chunk: Buffer) => Promise<void> | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let waiting = false;
    let ended = false;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      stopWatching();
      stream.off('data', onData);
      stream.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      let next: Promise<void> | undefined;
      try {
        next = take(chunk);
      } catch (error) {
        settle(error);
        return;
      }
      if (!next) return;
      waiting = true;
      stream.pause();
      next.then(() => {
        waiting = false;
        if (ended) settle();
        else if (!settled) stream.resume();
      }, settle);
    };
    const stopWatching = finished(stream, { writable: false }, (error) => {
      if (error) settle(error);
      else {
        ended = true;
        if (!waiting) settle();
      }
    });
    stream.on('data', onData);
  });
}

/**
 * Reads the file once, start to end: sniffs the first bytes, then checks the size limit of the sniffed type, feeds the
 * format inspector and writes to staging, chunk by chunk. The first failure stops reading (the caller closes the connection).
 */
async function receive(file: IncomingFile, name: string, target: UploadTarget, writer: BlobWriter): Promise<Received> {
  // Not narrowed to null here: the chunk callback below assigns it.
  let chosen = null as { type: UploadContentTypeId; mime: string; maxBytes: number; inspector: StreamParser<ImageInfo> | null } | null;
  let head: Buffer[] = [];
  let headBytes = 0;

  const choose = async (bytes: Buffer) => {
    const sniffed = await sniff(bytes);
    assertExtensionMatches(name, sniffed);
    const type = uploadTypeFor(sniffed.mime);
    const inspector = serverContentTypes[type].inspect?.(sniffed.mime, pixelLimitsOf(type)) ?? null;
    return { type, mime: sniffed.mime, maxBytes: target.maxBytes[type], inspector };
  };
  const feed = (chunk: Buffer): Promise<void> | undefined => {
    if (writer.size + chunk.length > chosen!.maxBytes) throw tooLarge(chosen!.type, chosen!.maxBytes);
    chosen!.inspector?.push(chunk);
    return writer.write(chunk);
  };
  const sniffThenFeed = async (bytes: Buffer) => {
    chosen = await choose(bytes);
    await feed(bytes);
  };

  await eachChunk(file.stream, (chunk) => {
    if (chosen) return feed(chunk);
    head.push(chunk);
    headBytes += chunk.length;
    if (headBytes < sniffBytes) return undefined;
    const bytes = Buffer.concat(head);
    head = [];
    return sniffThenFeed(bytes);
  });
  if (!chosen) {
    if (headBytes === 0) throw invalidField('file', 'is empty');
    const bytes = Buffer.concat(head);
    chosen = await choose(bytes);
    await feed(bytes);
  }
  if (file.stream.truncated) throw tooLarge(chosen.type, chosen.maxBytes);
  return { type: chosen.type, mime: chosen.mime, info: chosen.inspector?.end() ?? null };
}

export function createUploadService(ctx: AppContext, blobs: BlobStore) {
  const { db, clock, log } = ctx;
  const contents = createContentDeleter({ db, blobs });
  const { purgeContent } = contents;
  const previews = createPreviewMaker({ db, log, blobs, clock, purgeContent });

  /** The workspace asked for (the caller's personal one by default) and the caller's role there; 404 for a non-member. */
  async function membershipIn(userId: string, workspaceId: string | undefined) {
    const id = workspaceId ?? (await findPersonalWorkspace(db.kysely, userId))?.id;
    const membership = id ? await findWorkspaceRole(db.kysely, id, userId) : undefined;
    if (!id || !membership) throw notFound('Workspace');
    return { id, role: membership.role };
  }

  async function readable(userId: string, uploadId: string): Promise<UploadsTable> {
    const row = await findReadableUpload(db.kysely, uploadId, userId);
    if (!row) throw notFound('Upload');
    return row;
  }

  /**
   * Deletes an upload no task shows (released before `releasedBefore`, if given). Its storage goes back to the
   * workspace, unless another upload there has the same bytes: that one pays for them from now on. The bytes and
   * their previews go once no upload anywhere has them: recorded with the row's deletion, and deleted from the store
   * at once if it can (else by a later sweep). False when a task shows it (again).
   */
  async function deleteUnused(uploadId: string, workspaceId: string, releasedBefore: string | null): Promise<boolean> {
    const deleted = await inTransaction(db, async ({ tx }) => {
      await lockStorage(tx, db.dialect, workspaceId); // against an upload of the same bytes counting on this one
      await lockUploadForDelete(tx, db.dialect, uploadId);
      const row = await deleteUnusedUpload(tx, uploadId, releasedBefore);
      const charged = Number(row?.charged_bytes ?? 0);
      if (row && charged > 0) {
        const heir = await findHeirOfContent(tx, workspaceId, row.sha256);
        if (heir) await setChargedBytes(tx, heir.id, charged);
        else await addStorageUsage(tx, workspaceId, -charged);
      }
      // Whether other uploads still have the bytes is decided holding the content (`purgeContent`, outside this
      // transaction: the store may be slow); if this process stops before then, the record is still there for the sweep.
      if (row) await recordContentDeletion(tx, row.sha256, clock.now().toISOString());
      return row;
    });
    if (!deleted) return false;
    // Best effort: the upload is gone either way, and bytes the store refuses to delete now are retried by the sweep.
    await purgeContent(deleted.sha256).catch((error: unknown) =>
      log.warn({ err: error, sha256: deleted.sha256 }, 'deleting stored bytes failed; the next sweep retries'),
    );
    return true;
  }

  return {
    /**
     * Where the upload goes. For a list (`listId`): its workspace, for anyone who may edit the list's tasks (a
     * collaborator on someone's personal list, a guest editing a shared team list), 404 for a list they cannot see and
     * 403 for one they only see; `workspaceId`, if given too, must be the list's. Otherwise the workspace asked for
     * (default: the caller's personal one), for its members, not guests.
     */
    async prepareUpload(userId: string, where: { workspaceId?: string | undefined; listId?: string | undefined }): Promise<UploadTarget> {
      // Read as the API reads every id (in any case: `idSchema`); form fields reach here unparsed.
      const idOf = (name: 'workspaceId' | 'listId', value: string | undefined) => {
        if (value === undefined) return undefined;
        const parsed = idSchema.safeParse(value);
        if (!parsed.success) throw invalidField(name, 'must be a valid id');
        return parsed.data;
      };
      const workspaceId = idOf('workspaceId', where.workspaceId);
      const listId = idOf('listId', where.listId);
      if (listId !== undefined) {
        const { list } = await authorizeList(db.kysely, userId, listId, 'task.update');
        if (workspaceId !== undefined && workspaceId !== list.workspace_id) throw invalidField('workspaceId', "is not the list's workspace");
        return { workspaceId: list.workspace_id, ...uploadLimitsOf(await findStorage(db.kysely, list.workspace_id)) };
      }
      const { id, role } = await membershipIn(userId, workspaceId);
      if (role === 'guest') throw forbidden('Guests cannot upload files to this workspace');
      return { workspaceId: id, ...uploadLimitsOf(await findStorage(db.kysely, id)) };
    },

    /** What the workspace's uploads take and may take, for any member of it. */
    async storageOf(userId: string, workspaceId: string): Promise<WorkspaceStorage> {
      await membershipIn(userId, workspaceId);
      const storage = await findStorage(db.kysely, workspaceId);
      return { usedBytes: num(storage?.used_bytes) ?? 0, ...uploadLimitsOf(storage) };
    },

    /** The caller's own uploads in a workspace (their personal one by default), largest first. */
    async listOwnUploads(userId: string, query: { workspaceId?: string | undefined; cursor?: string | undefined; limit: number }): Promise<Page<OwnUpload>> {
      const { id: workspaceId } = await membershipIn(userId, query.workspaceId);
      const after = decodeCursorAs(query.cursor, ownUploadsCursor);
      const rows = await findOwnUploads(db.kysely, workspaceId, userId, after ? { size: after[0], id: after[1] } : null, query.limit);
      const page = toPage(rows, query.limit, (row) => [Number(row.size), row.id]);
      return { items: page.items.map((row) => ({ ...presentUpload(row), inUse: Boolean(row.in_use) })), nextCursor: page.nextCursor };
    },

    /** The most a request to this workspace may carry: a larger declared body is refused before it is read. */
    maxRequestBytes: (target: UploadTarget) => Math.max(...Object.values(target.maxBytes)) + multipartOverheadBytes,

    async createUpload(userId: string, target: UploadTarget, file: IncomingFile): Promise<Upload> {
      const name = sanitizeFileName(file.filename);
      const writer = await blobs.create();
      try {
        const received = await receive(file, name, target, writer);
        await file.checkRestOfForm?.(); // before anything is decoded or stored
        const { size, sha256 } = await writer.finish();
        const rule = uploadRuleOf(received.type);

        let inlinePreviews: PreviewBuffers | null = null;
        const pixels = received.info ? received.info.width * received.info.height : 0;
        if (rule.previews.length > 0 && size <= inlinePreviewMaxBytes && pixels <= inlinePreviewMaxPixels) {
          try {
            inlinePreviews = await previews.make(received.type, async () => writer.stagedPath);
          } catch (error) {
            if (error instanceof AppError) throw error;
            throw new AppError('unprocessable', 'The image is corrupt: it could not be decoded', { extensions: { reason: 'corrupt' } });
          }
        }

        // Not while the same bytes are being deleted from the store on this node (`content-deletion.ts`); waited for
        // outside the transaction, so that the deletion's own short writes can go on.
        const row = await contents.whileUploading(sha256, () =>
          inTransaction(db, async ({ tx }) => {
            const storage = await lockStorage(tx, db.dialect, target.workspaceId);
            // Not while the same bytes are deleted as unused (`purgeContent`, from another node on PostgreSQL): from here
            // on, the other uploads of them, their previews and the stored bytes are what this upload will point at.
            await lockContent(tx, db.dialect, sha256);
            // Identical bytes count once per workspace: a second upload of them adds nothing to its usage.
            const charge = (await findWorkspaceUploadOfContent(tx, target.workspaceId, sha256)) ? 0 : size;
            const used = Number(storage.used_bytes);
            const quota = num(storage.quota_bytes) ?? uploadDefaults.quotaBytes;
            if (used + charge > quota) {
              throw new AppError(
                'quota_exceeded',
                `This workspace's storage is full: ${formatBytes(used)} of ${formatBytes(quota)} used, and the file needs ${formatBytes(charge)}`,
                {
                  extensions: { quotaBytes: quota, usedBytes: used },
                },
              );
            }
            if (charge > 0) await addStorageUsage(tx, target.workspaceId, charge);
            const known = await findPreviewKeysOfContent(tx, sha256);
            const createdAt = clock.now().toISOString();
            const upload: UploadsTable = {
              id: newId(),
              workspace_id: target.workspaceId,
              uploaded_by: userId,
              kind: received.type,
              mime_type: received.mime,
              size,
              sha256,
              blob_key: contentKey(sha256),
              charged_bytes: charge,
              name,
              width: received.info?.width ?? null,
              height: received.info?.height ?? null,
              frames: received.info?.frames ?? null,
              thumbnail_key: known?.thumbnail_key ?? null,
              poster_key: known?.poster_key ?? null,
              created_at: createdAt,
              released_at: createdAt, // no task shows it yet
              preview_failed_at: known?.preview_failed_at ?? null,
              released_from_task_id: null,
            };
            await insertUpload(tx, upload);
            // Durable before the row that references it becomes visible: if this fails, the transaction rolls back.
            await writer.commit(upload.blob_key);
            return upload;
          }),
        );

        if (inlinePreviews && previews.needsPreviews(row)) {
          await previews.store(sha256, inlinePreviews).catch((error: unknown) => log.warn({ err: error, uploadId: row.id }, 'storing previews failed'));
        } else if (previews.needsPreviews(row)) {
          previews.schedule(row);
        }
        return presentUpload(row);
      } finally {
        await writer.abort();
      }
    },

    async getUpload(userId: string, uploadId: string): Promise<Upload> {
      return presentUpload(await readable(userId, uploadId));
    },

    /**
     * What serving an upload's bytes (or a preview) needs, for a caller who may read it, before any byte is read:
     * the row (its hash is the ETag), the key, type and name. Previews not made yet are made now; a preview the type
     * does not have, or that could not be made, is 404. Open the bytes with `openServable`, only to send them.
     */
    async findServable(userId: string, uploadId: string, variant: 'content' | PreviewVariant): Promise<ServableUpload> {
      let row = await readable(userId, uploadId);
      const server = serverContentTypes[row.kind as UploadContentTypeId];
      if (variant === 'content') {
        return { upload: row, variant, key: row.blob_key, size: Number(row.size), mimeType: row.mime_type, disposition: server.disposition, name: row.name };
      }
      if (!uploadRuleOf(row.kind as UploadContentTypeId).previews.includes(variant)) throw notFound(`A ${variant} of this upload`);
      const column = variant === 'thumbnail' ? 'thumbnail_key' : 'poster_key';
      if (!row[column] && row.preview_failed_at === null) {
        try {
          await previews.ensure(row);
        } catch (error) {
          log.warn({ err: error, uploadId }, 'preview generation failed');
        }
        row = await readable(userId, uploadId);
      }
      // Bytes that did not decode are not decoded again: answered at once, saying why.
      if (!row[column] && row.preview_failed_at !== null) {
        throw new AppError('not_found', `This upload has no ${variant}: its image could not be decoded`, { extensions: { reason: 'undecodable' } });
      }
      const key = row[column];
      if (!key) throw notFound(`A ${variant} of this upload`);
      const stem = row.name.replace(/\.[^.]*$/, '');
      return { upload: row, variant, key, size: null, mimeType: 'image/webp', disposition: 'inline', name: `${stem}-${variant}.webp` };
    },

    /** The stored bytes of what `findServable` found: 503 when the content cannot be read now, 404 for a missing preview. */
    async openServable(served: ServableUpload): Promise<{ body: Readable; size: number }> {
      const blob = await blobs.get(served.key);
      if (blob) return blob;
      if (served.variant === 'content') throw new AppError('service_unavailable', 'The file is temporarily unavailable');
      throw notFound(`A ${served.variant} of this upload`);
    },

    /** The uploader deletes an upload no task shows (204); 409 while one does, 403 for someone else's. */
    async deleteUpload(userId: string, uploadId: string): Promise<void> {
      const row = await readable(userId, uploadId);
      if (row.uploaded_by !== userId) throw forbidden('Only the person who uploaded a file can delete it');
      if (!(await deleteUnused(row.id, row.workspace_id, null))) {
        throw new AppError('conflict', 'A task still shows this upload: remove it from the task first', { extensions: { reason: 'in_use' } });
      }
    },

    /**
     * Deletes the uploads no task has shown for `limits.releasedUploadGraceHours` (an undo, or a restored version,
     * can still bring one back until then). Run by the periodic maintenance; returns how many went.
     */
    async sweepReleasedUploads(): Promise<number> {
      const now = clock.now();
      await correctReleases(db.kysely, now.toISOString());
      const before = new Date(now.getTime() - limits.releasedUploadGraceHours * 3_600_000).toISOString();
      let deleted = 0;
      // One failure (the database refusing one delete) does not hold up the rest of the batch.
      for (const upload of await findReleasedUploads(db.kysely, before, sweepBatch)) {
        try {
          if (await deleteUnused(upload.id, upload.workspace_id, before)) deleted++;
        } catch (error) {
          log.warn({ err: error, uploadId: upload.id }, 'deleting an unused upload failed; the next sweep retries');
        }
      }
      // Bytes the store refused to delete before (deleteUnused tried those it just recorded).
      for (const { sha256 } of await findContentDeletions(db.kysely, sweepBatch)) {
        try {
          await purgeContent(sha256);
        } catch (error) {
          log.warn({ err: error, sha256 }, 'deleting stored bytes failed; the next sweep retries');
        }
      }
      return deleted;
    },

    /** Waits for background preview work (shutdown, tests, benchmarks). */
    drain: () => previews.drain(),
  };
}

export type UploadService = ReturnType<typeof createUploadService>;
