import { useEffect, useRef, useState } from 'react';
import { limits } from '../../core/limits.js';
import { can } from '../../core/permissions.js';
import type { Viewer } from '../../core/realtime/protocol.js';
import type { ListView } from '../state/lists.store.js';
import { takeHeadingFocusRequest } from '../lib/focus.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Icon } from './Icon.js';
import { ListCollabActions } from './ListCollabActions.js';
import { PresenceAvatars } from './PresenceAvatars.js';

/**
 * `saved`: nothing waiting; `saving`: changes on their way; `offline`: no connection, changes wait for it;
 * `retrying`: connected, but the server answered busy or unavailable, so changes wait and are sent again.
 */
export type SyncState = 'saved' | 'saving' | 'offline' | 'retrying';

const syncLabels: Record<SyncState, string> = {
  saved: 'All changes saved',
  saving: 'Saving…',
  offline: 'Offline — changes will sync',
  retrying: 'Server busy — retrying your changes',
};

export interface ListHeaderProps {
  list: ListView;
  /** How many tasks the list has; null while that is not known (the tasks are loading, or could not be loaded). */
  taskCount: number | null;
  doneCount: number;
  syncState: SyncState;
  /** Other people viewing the list now. */
  viewers: readonly Viewer[];
  onRename: (name: string) => void;
  onArchive: (archived: boolean) => void;
  onDelete: () => void;
}

/** The open list's name (rename in place), progress, save and connection state, who else is here, and its archive and delete actions. */
export function ListHeader({ list, taskCount, doneCount, syncState, viewers, onRename, onArchive, onDelete }: ListHeaderProps) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(list.name);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const canUpdate = can(list.role, 'list.update');

  useEffect(() => {
    if (renaming) nameInput.current?.select();
  }, [renaming]);

  // The list was opened by a control that went away (an accepted invitation): the focus comes here, not to the page.
  useEffect(() => {
    if (takeHeadingFocusRequest(list.id)) heading.current?.focus();
  });

  // Enter submits, then the input's removal may blur it: finish once.
  const finished = useRef(false);

  function finishRename(save: boolean) {
    if (finished.current) return;
    finished.current = true;
    const trimmed = name.trim();
    setRenaming(false);
    if (save && trimmed && trimmed !== list.name) onRename(trimmed);
    requestAnimationFrame(() => renameButton.current?.focus());
  }

  const progress = taskCount === null ? null : taskCount === 0 ? 'No tasks yet' : `${taskCount} ${taskCount === 1 ? 'task' : 'tasks'} · ${doneCount} done`;

  return (
    <header className="list-header">
      <div className="list-heading">
        {renaming ? (
          <form
            className="rename-form"
            onSubmit={(event) => {
              event.preventDefault();
              finishRename(true);
            }}
          >
            <input
              ref={nameInput}
              className="rename-input"
              id="list-title"
              aria-label="List name"
              dir="auto"
              value={name}
              maxLength={limits.listNameMax}
              onChange={(event) => setName(event.target.value)}
              onBlur={() => finishRename(true)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.preventDefault();
                  setName(list.name);
                  finishRename(false);
                }
              }}
            />
          </form>
        ) : (
          // Focusable by script: where the focus goes when what had it went away (`lib/focus.ts`).
          <h1 id="list-title" ref={heading} tabIndex={-1} dir="auto">
            {list.name}
          </h1>
        )}
        <p className="list-progress">
          {progress === null ? null : <span>{progress}</span>}
          {/* Not a live region: announcing every save would drown out everything else. Failures come as toasts. */}
          <span className={`sync-state is-${syncState}`} data-sync-state={syncState}>
            {syncLabels[syncState]}
          </span>
        </p>
      </div>
      <div className="list-actions">
        <PresenceAvatars viewers={viewers} />
        <ListCollabActions list={list} />
        {canUpdate ? (
          <>
            <button
              ref={renameButton}
              type="button"
              className="icon-button"
              aria-label="Rename list"
              title="Rename list"
              onClick={() => {
                setName(list.name);
                finished.current = false;
                setRenaming(true);
              }}
            >
              <Icon name="pencil" />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={list.archived ? 'Unarchive list' : 'Archive list'}
              title={list.archived ? 'Unarchive list' : 'Archive list'}
              onClick={() => onArchive(!list.archived)}
            >
              <Icon name={list.archived ? 'unarchive' : 'archive'} />
            </button>
          </>
        ) : null}
        {can(list.role, 'list.delete') ? (
          <button
            type="button"
            className="icon-button icon-button-danger"
            aria-label="Delete list"
            title="Delete list"
            onClick={() => setConfirmingDelete(true)}
          >
            <Icon name="trash" />
          </button>
        ) : null}
      </div>
      {confirmingDelete ? (
        <ConfirmDialog
          title={`Delete “${list.name}”?`}
          confirmLabel="Delete list"
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => {
            setConfirmingDelete(false);
            onDelete();
          }}
        >
          <p>
            The list and its {taskCount === 1 ? 'task' : taskCount === null ? 'tasks' : `${taskCount} tasks`} will be deleted for everyone. This cannot be
            undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </header>
  );
}
