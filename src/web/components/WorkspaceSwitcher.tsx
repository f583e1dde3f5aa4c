import { useEffect, useId, useState } from 'react';
import { useWorkspaces } from '../hooks/useCollaboration.js';
import { useStores } from '../hooks/useStores.js';
import { workspaceRoleLabels } from '../lib/people.js';
import { Icon } from './Icon.js';
import { NewWorkspaceDialog } from './NewWorkspaceDialog.js';
import { StorageDialog } from './StorageDialog.js';
import { WorkspaceMembersDialog } from './WorkspaceMembersDialog.js';

/** Chooses the workspace whose lists the sidebar shows; creates team workspaces; opens a team's people and a workspace's storage. */
export function WorkspaceSwitcher({ onSwitch }: { onSwitch: (workspaceId: string) => void }) {
  const { workspaces, selected, store } = useWorkspaces();
  const stores = useStores();
  const id = useId();
  const [dialog, setDialog] = useState<'new' | 'members' | 'storage' | null>(null);

  // Someone may have added the user to a workspace meanwhile.
  useEffect(() => {
    const refresh = () => void store.refresh();
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [store]);

  return (
    <div className="workspace-switcher">
      <label htmlFor={id} className="visually-hidden">
        Workspace
      </label>
      <select id={id} className="select workspace-select" value={selected?.id ?? ''} onChange={(event) => onSwitch(event.target.value)}>
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.kind === 'personal' ? workspace.name : `${workspace.name} · ${workspaceRoleLabels[workspace.role]}`}
          </option>
        ))}
      </select>
      {selected?.kind === 'team' ? (
        <button
          type="button"
          className="icon-button"
          aria-label={`People in ${selected.name}`}
          title="Workspace members"
          aria-haspopup="dialog"
          onClick={() => setDialog('members')}
        >
          <Icon name="users" />
        </button>
      ) : null}
      {selected ? (
        <button
          type="button"
          className="icon-button"
          aria-label={`Storage in ${selected.name}`}
          title="Storage"
          aria-haspopup="dialog"
          onClick={() => setDialog('storage')}
        >
          <Icon name="storage" />
        </button>
      ) : null}
      <button
        type="button"
        className="icon-button"
        aria-label="New team workspace"
        title="New team workspace"
        aria-haspopup="dialog"
        onClick={() => setDialog('new')}
      >
        <Icon name="plus" />
      </button>
      {dialog === 'new' ? (
        <NewWorkspaceDialog
          onClose={() => setDialog(null)}
          onCreated={(workspace) => {
            setDialog(null);
            onSwitch(workspace.id);
          }}
        />
      ) : null}
      {dialog === 'storage' && selected ? <StorageDialog workspace={selected} onClose={() => setDialog(null)} /> : null}
      {dialog === 'members' && selected?.kind === 'team' ? (
        <WorkspaceMembersDialog
          workspace={selected}
          onClose={() => setDialog(null)}
          onLeft={() => {
            setDialog(null);
            const personal = workspaces.find((workspace) => workspace.kind === 'personal');
            void store.refresh().then(() => {
              if (personal) onSwitch(personal.id);
            });
            void stores.lists.load();
          }}
        />
      ) : null}
    </div>
  );
}
