import { useCallback, useEffect, useId, useState } from 'react';
import { formatBytes } from '../../core/content-types/definition.js';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import type { OwnUpload, WorkspaceStorage } from '../../core/schemas/uploads.js';
import { toApiError } from '../api/client.js';
import { storageApi } from '../api/uploads.js';
import { toastStore } from '../state/toasts.store.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Modal } from './Modal.js';

/**
 * What fills a workspace's storage: how much of its quota is used, and the caller's own files in it, largest
 * first. A file no task shows any more can be deleted at once (otherwise it goes by itself a day later), which
 * is how someone whose storage is full makes room.
 */
export function StorageDialog({ workspace, onClose }: { workspace: WorkspaceSummary; onClose: () => void }) {
  const id = useId();
  const [storage, setStorage] = useState<WorkspaceStorage | null>(null);
  const [files, setFiles] = useState<OwnUpload[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<OwnUpload | null>(null);

  const load = useCallback(async () => {
    try {
      const [use, page] = await Promise.all([storageApi.storage(workspace.id), storageApi.ownUploads(workspace.id)]);
      setStorage(use);
      setFiles(page.items);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      setError(toApiError(caught).detail);
    }
  }, [workspace.id]);

  useEffect(() => {
    void load();
  }, [load]);

  async function loadMore() {
    try {
      const page = await storageApi.ownUploads(workspace.id, nextCursor);
      setFiles((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (caught) {
      toastStore.error(toApiError(caught).detail);
    }
  }

  async function remove(file: OwnUpload) {
    setDeleting(null);
    try {
      await storageApi.deleteUpload(file.id);
      toastStore.show({ message: `Deleted ${file.name}` });
    } catch (caught) {
      toastStore.error(toApiError(caught).detail);
    }
    await load();
  }

  const used = storage ? Math.min(1, storage.usedBytes / storage.quotaBytes) : 0;
  return (
    <Modal title={`Storage in ${workspace.name}`} onClose={onClose} className="storage-dialog">
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {storage ? (
        <section className="storage-use" aria-labelledby={`${id}-use`}>
          <h3 id={`${id}-use`} className="details-heading">
            In use
          </h3>
          <meter className="storage-meter" min={0} max={1} low={0.8} high={0.95} optimum={0} value={used} aria-labelledby={`${id}-use-text`} />
          <p id={`${id}-use-text`}>
            {formatBytes(storage.usedBytes)} of {formatBytes(storage.quotaBytes)} used
          </p>
          <p className="field-hint">
            Each image or GIF can be up to {formatBytes(Math.max(storage.maxBytes.image ?? 0, storage.maxBytes.gif ?? 0))}, any other file up to{' '}
            {formatBytes(storage.maxBytes.file ?? 0)}. Identical files are stored, and counted, once.
          </p>
        </section>
      ) : null}
      <section aria-labelledby={`${id}-files`}>
        <h3 id={`${id}-files`} className="details-heading">
          Your files here
        </h3>
        {storage && files.length === 0 ? <p className="muted-note">You have not uploaded anything to this workspace.</p> : null}
        <ul className="storage-files">
          {files.map((file) => (
            <li key={file.id} className="storage-file">
              <span className="storage-file-name" title={file.name}>
                {file.name}
              </span>
              <span className="storage-file-size">{formatBytes(file.size)}</span>
              {file.inUse ? (
                <span className="storage-file-state">In a task</span>
              ) : (
                <>
                  <span className="storage-file-state" title="Deleted automatically a day after a task last showed it">
                    In no task
                  </span>
                  <button type="button" className="button button-small" aria-label={`Delete ${file.name}`} onClick={() => setDeleting(file)}>
                    Delete
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
        {nextCursor ? (
          <button type="button" className="button button-small" onClick={() => void loadMore()}>
            Show more
          </button>
        ) : null}
      </section>
      {deleting ? (
        <ConfirmDialog title={`Delete ${deleting.name}?`} confirmLabel="Delete" onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(null)}>
          No task shows it. Deleting it now frees its space at once; it cannot be undone.
        </ConfirmDialog>
      ) : null}
    </Modal>
  );
}
