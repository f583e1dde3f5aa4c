import { useCallback } from 'react';
import type { PendingWorkspaceInvitation, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { invitationRefusal } from '../lib/join-links.js';
import { toastStore } from '../state/toasts.store.js';
import { useCollaboration } from './useCollaboration.js';

/** Accept (join the workspace, then `onJoined` shows it) or decline an invitation to a team workspace, with the outcome in a toast. */
export function useWorkspaceInvitationAnswers(onJoined: (workspace: WorkspaceSummary) => void) {
  const { notifications } = useCollaboration();

  const accept = useCallback(
    async (invitation: Pick<PendingWorkspaceInvitation, 'id' | 'workspaceName'>) => {
      try {
        const workspace = await notifications.acceptWorkspaceInvitation(invitation.id);
        toastStore.show({ message: `You joined the workspace “${workspace.name}”` });
        onJoined(workspace);
        return true;
      } catch (error) {
        toastStore.error(invitationRefusal(toApiError(error)));
        return false;
      }
    },
    [notifications, onJoined],
  );

  const decline = useCallback(
    async (invitation: Pick<PendingWorkspaceInvitation, 'id' | 'workspaceName'>) => {
      try {
        await notifications.declineWorkspaceInvitation(invitation.id);
        toastStore.show({ message: `Declined the invitation to the workspace “${invitation.workspaceName}”` });
        return true;
      } catch (error) {
        toastStore.error(invitationRefusal(toApiError(error)));
        return false;
      }
    },
    [notifications],
  );

  return { accept, decline };
}
