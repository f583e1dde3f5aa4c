import { useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import { canInWorkspace, workspaceRoles, type WorkspaceRole } from '../../core/permissions.js';
import type { WorkspaceInvitation, WorkspaceMember, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useChangesOfLists } from '../hooks/useRealtime.js';
import { useStores } from '../hooks/useStores.js';
import { focusIsLost } from '../lib/focus.js';
import { inviteRefusal, workspaceRoleLabels } from '../lib/people.js';
import { toastStore } from '../state/toasts.store.js';
import { Avatar } from './Avatar.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { CopyField } from './CopyField.js';
import { Icon } from './Icon.js';
import { PendingInvitations } from './PendingInvitations.js';
import { Modal } from './Modal.js';

const roleHints: Record<WorkspaceRole, string> = {
  admin: 'manages members; edits every list',
  member: 'edits every list; creates lists',
  guest: 'sees only lists shared with them',
};

/**
 * A team workspace's people: admins invite by email (the person joins when they accept, in the app or with the link
 * shown after inviting), withdraw pending invitations, change roles and remove; members read. Someone joining is heard
 * live through the open list of the workspace (its `member.*` changes), else on the next focus or opening.
 */
export function WorkspaceMembersDialog({ workspace, onClose, onLeft }: { workspace: WorkspaceSummary; onClose: () => void; onLeft: () => void }) {
  const { me } = useCollaboration();
  const stores = useStores();
  const id = useId();
  const canManage = canInWorkspace(workspace.role, 'workspace.members.manage');
  const [members, setMembers] = useState<WorkspaceMember[]>([]);
  const [invitations, setInvitations] = useState<WorkspaceInvitation[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<WorkspaceRole>('member');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ email: string; url: string } | null>(null);
  const [removing, setRemoving] = useState<WorkspaceMember | null>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const pendingList = useRef<HTMLUListElement>(null);
  const sentBox = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const [people, pending] = await Promise.all([
        collaborationApi.listWorkspaceMembers(workspace.id),
        canManage ? collaborationApi.listWorkspaceInvitations(workspace.id) : Promise.resolve([]),
      ]);
      setMembers(people);
      setInvitations(pending);
      setStatus('ready');
    } catch (caught) {
      setError(toApiError(caught).detail);
      setStatus('error');
    }
  }, [workspace.id, canManage]);

  useEffect(() => {
    if (!canInWorkspace(workspace.role, 'workspace.members.read')) {
      setStatus('ready');
      return;
    }
    void load();
    // An invitation answered while the dialog was open, and not heard live: seen on coming back to the page.
    const reload = () => void load();
    window.addEventListener('focus', reload);
    return () => window.removeEventListener('focus', reload);
  }, [load, workspace.role]);

  // Someone accepted (joined), or was re-roled or removed: the workspace's open list hears it as a member change.
  const lists = useSyncExternalStore(stores.lists.subscribe, stores.lists.getSnapshot).lists;
  const workspaceListIds = useMemo(() => lists.filter((list) => list.workspaceId === workspace.id).map((list) => list.id), [lists, workspace.id]);
  useChangesOfLists(workspaceListIds, (change) => {
    if (change.change.startsWith('member.') && canInWorkspace(workspace.role, 'workspace.members.read')) void load();
  });

  async function invite(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    // aria-disabled, not disabled: a disabled button would drop the focus it has to <body>.
    if (!address || busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await collaborationApi.inviteWorkspaceMember(workspace.id, address, role);
      setSent({ email: result.invitation.email, url: new URL(result.inviteUrl, window.location.origin).toString() });
      // A new invitation to the same address replaces the pending one.
      setInvitations((current) => [...current.filter((candidate) => candidate.email !== result.invitation.email), result.invitation]);
      setEmail('');
      // The link is what to do next: its Copy button takes the focus.
      requestAnimationFrame(() => sentBox.current?.querySelector<HTMLElement>('.copy-field button')?.focus());
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(inviteRefusal(apiError));
      setSent(null);
      // Back to the field to correct it (it is described by the error).
      requestAnimationFrame(() => emailInput.current?.focus());
    } finally {
      setBusy(false);
    }
  }

  /** The Withdraw button that had the focus is gone: the next pending invitation's takes it, else the email field. */
  function keepFocus() {
    requestAnimationFrame(() => {
      if (focusIsLost()) (pendingList.current?.querySelector<HTMLElement>('button') ?? emailInput.current)?.focus();
    });
  }

  async function withdraw(invitation: WorkspaceInvitation) {
    try {
      await collaborationApi.revokeWorkspaceInvitation(workspace.id, invitation.id);
      setInvitations((current) => current.filter((candidate) => candidate.id !== invitation.id));
      toastStore.show({ message: `Withdrew the invitation of ${invitation.email}` });
    } catch (caught) {
      const apiError = toApiError(caught);
      if (apiError.code === 'gone' || apiError.code === 'not_found') {
        // Accepted, declined or expired just now.
        setInvitations((current) => current.filter((candidate) => candidate.id !== invitation.id));
        toastStore.show({ message: `The invitation of ${invitation.email} was already answered.` });
      } else {
        toastStore.error(apiError.detail);
      }
      void load();
    }
    keepFocus();
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
            Invite someone
          </h3>
          <form className="invite-form" onSubmit={invite} noValidate>
            <div className="invite-row">
              <label htmlFor={`${id}-email`} className="visually-hidden">
                Email of the person to invite
              </label>
              <input
                ref={emailInput}
                id={`${id}-email`}
                type="email"
                className="text-input"
                placeholder="name@example.com"
                autoComplete="off"
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
              <button type="submit" className="button button-primary" aria-disabled={busy || !email.trim()}>
                {busy ? 'Inviting…' : 'Invite'}
              </button>
            </div>
            <p id={`${id}-hint`} className="field-hint">
              {workspaceRoleLabels[role]}: {roleHints[role]}. They join the workspace when they accept the invitation.
            </p>
            {error ? (
              <p id={`${id}-error`} className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </form>
          {sent ? (
            <div className="invite-sent" ref={sentBox}>
              <p role="status">
                Invited <strong>{sent.email}</strong>. If they already use Listo, they will see the invitation in their sidebar; they join when they accept.
              </p>
              <CopyField
                label="Invitation link"
                value={sent.url}
                hint="For someone without an account yet: send them this link. It works once and is shown only now."
              />
            </div>
          ) : null}
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

      {canManage ? (
        <PendingInvitations
          id={id}
          invitations={invitations}
          roleLabel={(invitation) => workspaceRoleLabels[invitation.role]}
          verb="Withdraw"
          onTakeBack={(invitation) => void withdraw(invitation)}
          listRef={pendingList}
        />
      ) : null}
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
