import { useCallback, useEffect, useId, useState } from 'react';
import { can, type ListRole } from '../../core/permissions.js';
import type { Invitation } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useListMembers } from '../hooks/useListMembers.js';
import { useListChanges } from '../hooks/useRealtime.js';
import { useStores } from '../hooks/useStores.js';
import { listRoleLabels } from '../lib/people.js';
import type { ListView } from '../state/lists.store.js';
import { toastStore } from '../state/toasts.store.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { InviteForm } from './InviteForm.js';
import { MemberRow } from './MemberRow.js';
import { PendingInvitations } from './PendingInvitations.js';
import { Modal } from './Modal.js';
import { ShareLinkSection } from './ShareLinkSection.js';

/**
 * Sharing a list: invite by email, the people who can see it (owner: change roles, transfer ownership,
 * remove), pending invitations (revoke), the share link (owner), and leaving (everyone but the owner).
 * Controls follow the permission table, so each role sees only what it may do.
 */
export function ShareDialog({ list, onClose }: { list: ListView; onClose: () => void }) {
  const { me } = useCollaboration();
  const stores = useStores();
  const members = useListMembers(list.id);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [busyUserId, setBusyUserId] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const id = useId();
  const role = list.role;
  const canInvite = can(role, 'member.invite');
  const canManage = can(role, 'member.manage');
  const myMembership = members.members.find((member) => member.userId === me.user.id);

  const loadInvitations = useCallback(async () => {
    if (!canInvite) return;
    try {
      setInvitations(await collaborationApi.listListInvitations(list.id));
    } catch {
      // shown as empty; the members list still works
    }
  }, [canInvite, list.id]);

  useEffect(() => {
    void members.store.reload();
    void loadInvitations();
  }, [members.store, loadInvitations]);

  // Someone joined (an invitation accepted) or a membership changed: the pending invitations did too.
  useListChanges(list.id, (change) => {
    if (change.change.startsWith('member.')) void loadInvitations();
  });

  async function changeRole(userId: string, next: ListRole) {
    setBusyUserId(userId);
    try {
      const updated = await collaborationApi.updateMemberRole(list.id, userId, next);
      members.store.applyMember(updated);
      if (next === 'owner') {
        toastStore.show({ message: `${updated.name} is now the owner of “${list.name}”` });
        // Our own role changed too (owner → editor): reload the lists for it.
        void stores.lists.load();
      }
      await members.store.reload();
    } catch (error) {
      toastStore.error(toApiError(error).detail);
      void members.store.reload();
    } finally {
      setBusyUserId(null);
    }
  }

  async function remove(userId: string) {
    setBusyUserId(userId);
    try {
      await collaborationApi.removeMember(list.id, userId);
      await members.store.reload();
    } catch (error) {
      toastStore.error(toApiError(error).detail);
    } finally {
      setBusyUserId(null);
    }
  }

  async function revoke(invitation: Invitation) {
    try {
      await collaborationApi.revokeInvitation(list.id, invitation.id);
      setInvitations((current) => current.filter((candidate) => candidate.id !== invitation.id));
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'gone') {
        // Accepted, declined or expired just now, before the change arrived.
        setInvitations((current) => current.filter((candidate) => candidate.id !== invitation.id));
        toastStore.show({ message: `The invitation of ${invitation.email} was already answered.` });
        void members.store.reload();
      } else {
        toastStore.error(apiError.detail);
      }
      void loadInvitations();
    }
  }

  async function leave() {
    try {
      await collaborationApi.removeMember(list.id, me.user.id);
      // The real-time client may have taken it out (and said so) already: say it once.
      const stillShown = stores.lists.getSnapshot().lists.some((candidate) => candidate.id === list.id);
      stores.lists.applyServerRemoval(list.id);
      if (stillShown) toastStore.show({ message: `You left “${list.name}”` });
      onClose();
      // Team members keep their workspace access: the reload tells whether the list is still theirs.
      void stores.lists.load();
    } catch (error) {
      toastStore.error(toApiError(error).detail);
    }
  }

  return (
    <Modal title={canInvite ? `Share “${list.name}”` : `People in “${list.name}”`} onClose={onClose} className="share-dialog">
      {canInvite ? <InviteForm listId={list.id} myRole={role} onInvited={() => void loadInvitations()} /> : null}

      <section className="share-section" aria-labelledby={`${id}-people`}>
        <h3 id={`${id}-people`} className="details-heading">
          People with access
        </h3>
        {members.status === 'loading' && members.members.length === 0 ? <p className="muted-note">Loading…</p> : null}
        {members.status === 'error' ? (
          <p className="field-error" role="alert">
            {members.error?.detail ?? 'The members could not be loaded.'}
          </p>
        ) : null}
        <ul className="member-list" aria-label="People with access">
          {members.members.map((member) => (
            <MemberRow
              key={member.userId}
              member={member}
              meId={me.user.id}
              canManage={canManage}
              busy={busyUserId === member.userId}
              onChangeRole={(next) => void changeRole(member.userId, next)}
              onRemove={() => void remove(member.userId)}
            />
          ))}
        </ul>
      </section>

      {canInvite ? (
        <PendingInvitations
          id={id}
          invitations={invitations}
          roleLabel={(invitation) => listRoleLabels[invitation.role]}
          verb="Revoke"
          onTakeBack={(invitation) => void revoke(invitation)}
        />
      ) : null}

      {can(role, 'share_link.manage') ? <ShareLinkSection listId={list.id} myRole={role} /> : null}

      {role !== 'owner' && myMembership?.via === 'list' ? (
        <section className="share-section share-leave">
          <button type="button" className="button button-small" onClick={() => setConfirmLeave(true)}>
            Leave list
          </button>
        </section>
      ) : null}

      {confirmLeave ? (
        <ConfirmDialog
          title={`Leave “${list.name}”?`}
          confirmLabel="Leave list"
          onCancel={() => setConfirmLeave(false)}
          onConfirm={() => {
            setConfirmLeave(false);
            void leave();
          }}
        >
          <p>You will no longer see this list unless someone invites you again.</p>
        </ConfirmDialog>
      ) : null}
    </Modal>
  );
}
