/**
 * A task's content blocks (`tasks.blocks`, JSON): what a client sent becomes what is stored, with upload-backed blocks
 * checked (the caller may use the upload: they uploaded it, or it is already on a list they can see, or it was released
 * from the task being edited and is still kept (an undo); same workspace; right type) and the upload's metadata copied in. `upload_refs` follows the stored blocks, so reading an upload is one query.
 */
import type { Kysely } from 'kysely';
import { presentBlock, type Block, type BlockInput, type StoredBlock, type UploadContentTypeId } from '../../../core/content-types/index.js';
import { AppError, type FieldError } from '../../../core/errors.js';
import { taskSearchText } from '../../../core/search.js';
import type { DialectName } from '../../db/database.js';
import type { Database, TasksTable } from '../../db/schema.js';
import { storedUploadBlock } from '../uploads/upload.presenter.js';
import { findReadableUploads, findUploadsReleasedFromTask, replaceUploadRefs } from '../uploads/upload.repository.js';

const uploadIdOf = (block: StoredBlock | BlockInput): string | null => ('uploadId' in block ? block.uploadId : null);

/**
 * The JSON to store for `inputs`, or a 422 naming each block that references an upload the caller may not use. The
 * uploads stay locked until the transaction ends, so none is deleted before its reference is written.
 */
export async function storeBlocks(
  db: Kysely<Database>,
  dialect: DialectName,
  userId: string,
  workspaceId: string,
  inputs: readonly BlockInput[],
  /** The task being edited (null for a new one): uploads released from it may come back to it (an undo). */
  taskId: string | null,
): Promise<string> {
  const ids = [...new Set(inputs.map(uploadIdOf).filter((id): id is string => id !== null))];
  const uploads = new Map((await findReadableUploads(db, ids, userId, dialect)).map((row) => [row.id, row]));
  // The caller may edit this task (the task service checked): what a change of it took out may come back, though
  // someone else uploaded it and, no task showing it, nobody else can read it now. Only to this task: elsewhere it
  // would hand an upload the caller may never have seen (one removed before they joined) to a task of their choosing.
  const unseen = ids.filter((id) => !uploads.has(id));
  if (taskId !== null && unseen.length > 0) for (const row of await findUploadsReleasedFromTask(db, taskId, unseen, dialect)) uploads.set(row.id, row);
  const errors: FieldError[] = [];
  const stored = inputs.map((block, index): StoredBlock => {
    const uploadId = uploadIdOf(block);
    if (uploadId === null) return block as StoredBlock;
    const upload = uploads.get(uploadId);
    if (!upload || upload.workspace_id !== workspaceId) {
      errors.push({ field: `blocks.${index}.uploadId`, message: 'must be an upload of yours, or one already on a list you can see, in this workspace' });
    } else if (upload.kind !== block.type) {
      errors.push({ field: `blocks.${index}.type`, message: `must be "${upload.kind}" for this upload (${upload.mime_type})` });
    } else {
      return storedUploadBlock(block.type as UploadContentTypeId, upload);
    }
    return block as StoredBlock;
  });
  if (errors.length > 0) {
    throw new AppError('unprocessable', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  return JSON.stringify(stored);
}

/** Points `upload_refs` at exactly the uploads the stored blocks reference; uploads left unshown are released `at`. */
export async function syncUploadRefs(db: Kysely<Database>, taskId: string, blocksJson: string, at: string): Promise<void> {
  const blocks = parseStoredBlocks(blocksJson);
  await replaceUploadRefs(
    db,
    taskId,
    blocks.map(uploadIdOf).filter((id): id is string => id !== null),
    at,
  );
}

function parseStoredBlocks(json: string): StoredBlock[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as StoredBlock[]) : [];
  } catch {
    return [];
  }
}

/** Blocks as the API returns them: upload-backed ones with the URLs of their bytes and previews. */
export const presentBlocks = (json: string): Block[] => parseStoredBlocks(json).map(presentBlock);

/** `tasks.search_text` for a task's title, notes and stored blocks. */
export const searchTextOf = (task: Pick<TasksTable, 'title' | 'notes' | 'blocks'>): string =>
  taskSearchText({ title: task.title, notes: task.notes, blocks: presentBlocks(task.blocks) });
