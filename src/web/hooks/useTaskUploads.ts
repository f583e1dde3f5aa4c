/** Changing a task's blocks through its list's store, and uploading files into them (the details panel and the list's rows share both). */
import { useCallback, useMemo } from 'react';
import { maxBlocksPerTask, type Block } from '../../core/content-types/index.js';
import type { Upload } from '../../core/schemas/uploads.js';
import type { UploadDestination } from '../api/uploads.js';
import { blockFromUpload } from '../content-types/block-input.js';
import { isLocalId, type TaskView } from '../state/list-tasks.store.js';
import { toastStore } from '../state/toasts.store.js';
import { useStores } from './useStores.js';
import { useUploads, type Uploads } from './useUploads.js';

/** Replaces a task's blocks with `change(blocks)`; returns false when nothing changed (no task, `null`, or over the limit). */
export type CommitBlocks = (change: (blocks: Block[]) => Block[] | null) => boolean;

/**
 * Changes the task's blocks as the store has them now (with changes not saved yet), not as last rendered, so an
 * upload finishing after other edits appends to them; the change is optimistic and queued like every task edit.
 */
export function useCommitBlocks(task: Pick<TaskView, 'id' | 'listId'>): CommitBlocks {
  const store = useStores().tasksOf(task.listId);
  return useCallback(
    (change) => {
      const current = store.getSnapshot().tasks.find((candidate) => candidate.id === task.id);
      if (!current) return false;
      const next = change([...current.blocks]);
      if (!next) return false;
      if (next.length > maxBlocksPerTask) {
        toastStore.error(`A task can have at most ${maxBlocksPerTask} blocks.`);
        return false;
      }
      store.updateTask(task.id, { blocks: next });
      return true;
    },
    [store, task.id],
  );
}

/**
 * Uploads files (with progress, and the server's refusal shown per file) for the task's list: they go to the list's
 * workspace, which a collaborator on someone's personal list is no member of, and anyone who may edit the list's
 * tasks may upload for it. Each finished upload is appended to the task's blocks as the type the server sniffed
 * (image, GIF or file). `onAdded` hears of each upload that became a block.
 */
export function useTaskUploads(task: Pick<TaskView, 'id' | 'listId' | 'workspaceId'>, onAdded?: (upload: Upload) => void): Uploads {
  const commit = useCommitBlocks(task);
  // A list still being created has no server id yet: its workspace, if known (else the personal one, where new lists go).
  const local = isLocalId(task.listId);
  const destination = useMemo<UploadDestination | undefined>(
    () => (!local ? { listId: task.listId } : task.workspaceId ? { workspaceId: task.workspaceId } : undefined),
    [local, task.listId, task.workspaceId],
  );
  return useUploads(destination, (upload) => {
    if (commit((blocks) => [...blocks, blockFromUpload(upload)])) onAdded?.(upload);
  });
}
