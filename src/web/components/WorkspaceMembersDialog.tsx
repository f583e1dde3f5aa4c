import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import { canInWorkspace, workspaceRoles, type WorkspaceRole } from '../../core/permissions.js';
import type { WorkspaceMember, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { workspaceRoleLabels } from '../lib/people.js';
import { toastStore } from '../state/toasts.store.js';
import { Avatar } from './Avatar.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Icon } from './Icon.js';
import { Modal } from './Modal.js';

const roleHints: Record<WorkspaceRole, string> = {
  admin: 'manages members; edits every list',
  member: 'edits every list; creates lists',
  guest: 'sees only lists shared with them',
};

/** A team workspace's people: admins add (by email of an account), change roles and remove; members read. */
export function WorkspaceMembersDialog({ workspace, onClose, onLeft }: { workspace: WorkspaceSummary; onClose: () => void; onLeft: () => void }) {
  const { me } = useCollaboration();
  const id = useId();
  const canManage = canInWorkspace(workspace.role, 'workspace.members.manage');
  const [members, setMembers] = useState<WorkspaceMember[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<WorkspaceRole>('member');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<WorkspaceMember | null>(null);

  const load = useCallback(async () => {
    try {
      setMembers(await collaborationApi.listWorkspaceMembers(workspace.id));
      setStatus('ready');
    } catch (caught) {
      setError(toApiError(caught).detail);
      setStatus('error');
    }
  }, [workspace.id]);

  useEffect(() => {
    if (canInWorkspace(workspace.role, 'workspace.members.read')) void load();
    else setStatus('ready');
  }, [load, workspace.role]);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!email.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const added = await collaborationApi.addWorkspaceMember(workspace.id, email.trim(), role);
      setMembers((current) => [...current.filter((member) => member.userId !== added.userId), added]);
      setEmail('');
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(apiError.fieldError('email') ? `That email ${apiError.fieldError('email')}. ${apiError.detail}` : apiError.detail);
    } finally {
      setBusy(false);
    }
  }

  async function changeRole(member: WorkspaceMember, next: WorkspaceRole) {
    try {
      const updated = await collaborationApi.updateWorkspaceMemberRole(workspace.id, member.userId, next);
      setMembers((current) => current.map((candidate) => (candidate.userId === updated.userId ? updated : candidate)));
    } catch (caught) {
      toastStore.error(toApiError(caught).detail);
    }
  }

  async function remove(member: WorkspaceMember) {
    try {
      await collaborationApi.removeWorkspaceMember(workspace.id, member.userId);
      if (member.userId === me.user.id) {
        toastStore.show({ message: `You left ${workspace.name}` });
        onLeft();
        return;
      }
      setMembers((current) => current.filter((candidate) => candidate.userId !== member.userId));
    } catch (caught) {
      toastStore.error(toApiError(caught).detail);
    }
  }

  const leaveButton = (
    <button
      type="button"
      className="button button-small"
      onClick={() => setRemoving({ userId: me.user.id, email: me.user.email, name: me.user.name, role: workspace.role })}
    >
      Leave workspace
    </button>
  );

  return (
    <Modal title={`People in ${workspace.name}`} onClose={onClose} className="share-dialog">
      {canManage ? (
        <section className="share-section" aria-labelledby={`${id}-add`}>
          <h3 id={`${id}-add`} className="details-heading">
            Add someone
          </h3>
          <form className="invite-form" onSubmit={add} noValidate>
            <div className="invite-row">
              <label htmlFor={`${id}-email`} className="visually-hidden">
                Email of the person to add
              </label>
              <input
                id={`${id}-email`}
                type="email"
                className="text-input"
                placeholder="name@example.com"
                maxLength={limits.emailMax}
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
                data-autofocus
              />
              <label htmlFor={`${id}-role`} className="visually-hidden">
                Workspace role
              </label>
              <select id={`${id}-role`} className="select" value={role} onChange={(event) => setRole(event.target.value as WorkspaceRole)}>
                {workspaceRoles.map((candidate) => (
                  <option key={candidate} value={candidate}>
                    {workspaceRoleLabels[candidate]}
                  </option>
                ))}
              </select>
              <button type="submit" className="button button-primary" disabled={busy || !email.trim()}>
                Add
              </button>
            </div>
            <p id={`${id}-hint`} className="field-hint">
              {workspaceRoleLabels[role]}: {roleHints[role]}. They need a Listo account; invite others to a list instead.
            </p>
            {error ? (
              <p id={`${id}-error`} className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </form>
        </section>
      ) : null}

      <section className="share-section" aria-labelledby={`${id}-people`}>
        <h3 id={`${id}-people`} className="details-heading">
          Members
        </h3>
        {status === 'loading' ? <p className="muted-note">Loading…</p> : null}
        {!canInWorkspace(workspace.role, 'workspace.members.read') ? <p className="muted-note">Guests do not see the workspace’s members.</p> : null}
        <ul className="member-list" aria-label={`Members of ${workspace.name}`}>
          {members.map((member) => {
            const isMe = member.userId === me.user.id;
            return (
              <li key={member.userId} className="member-row">
                <Avatar userId={member.userId} name={member.name} size={32} />
                <span className="member-who">
                  <span className="member-name">{isMe ? `${member.name} (you)` : member.name}</span>
                  <span className="member-email">{member.email}</span>
                </span>
                {canManage && !isMe ? (
                  <>
                    <label htmlFor={`${id}-${member.userId}`} className="visually-hidden">
                      Workspace role of {member.name}
                    </label>
                    <select
                      id={`${id}-${member.userId}`}
                      className="select select-small"
                      value={member.role}
                      onChange={(event) => void changeRole(member, event.target.value as WorkspaceRole)}
                    >
                      {workspaceRoles.map((candidate) => (
                        <option key={candidate} value={candidate}>
                          {workspaceRoleLabels[candidate]}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="icon-button icon-button-danger"
                      aria-label={`Remove ${member.name} from the workspace`}
                      onClick={() => setRemoving(member)}
                    >
                      <Icon name="close" size={16} />
                    </button>
                  </>
                ) : (
                  <span className="member-role">{workspaceRoleLabels[member.role]}</span>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section className="share-section share-leave">{leaveButton}</section>

      {removing ? (
        <ConfirmDialog
          title={removing.userId === me.user.id ? `Leave ${workspace.name}?` : `Remove ${removing.name} from ${workspace.name}?`}
          confirmLabel={removing.userId === me.user.id ? 'Leave workspace' : 'Remove'}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const member = removing;
            setRemoving(null);
            void remove(member);
          }}
        >
          <p>
            {removing.userId === me.user.id ? 'You' : 'They'} will lose access to the workspace’s lists at once (lists shared directly stay). Lists owned there
            must be handed over first.
          </p>
        </ConfirmDialog>
      ) : null}
    </Modal>
  );
}
