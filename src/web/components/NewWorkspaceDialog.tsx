import { useId, useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { useWorkspaces } from '../hooks/useCollaboration.js';
import { Modal } from './Modal.js';

/** Names a new team workspace; the creator is its admin and it becomes the chosen workspace. */
export function NewWorkspaceDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (workspace: WorkspaceSummary) => void }) {
  const { store } = useWorkspaces();
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await store.create(name.trim()));
    } catch (caught) {
      setError(toApiError(caught).detail);
      setBusy(false);
    }
  }

  return (
    <Modal title="New team workspace" onClose={onClose}>
      <form onSubmit={submit}>
        <p className="details-context">A workspace holds a team’s lists: its members see all of them. You will be its admin.</p>
        <div className="field">
          <label htmlFor={`${id}-name`}>Workspace name</label>
          <input
            id={`${id}-name`}
            type="text"
            maxLength={limits.workspaceNameMax}
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-autofocus
          />
          {error ? (
            <p id={`${id}-error`} className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create workspace'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
