import { useCallback } from 'react';
import type { PendingInvitation } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { requestHeadingFocus } from '../lib/focus.js';
import { invitationRefusal } from '../lib/join-links.js';
import { toastStore } from '../state/toasts.store.js';
import { useCollaboration } from './useCollaboration.js';
import { useStores } from './useStores.js';

/** Accept (join and open the list) or decline an invitation, with the outcome in a toast. */
export function useInvitationAnswers(onOpenList: (listId: string) => void) {
  const { notifications } = useCollaboration();
  const stores = useStores();

  const accept = useCallback(
    async (invitation: Pick<PendingInvitation, 'id' | 'listName'>) => {
      try {
        const list = await notifications.acceptInvitation(invitation.id);
        stores.lists.applyServerList(list);
        toastStore.show({ message: `You joined “${list.name}”` });
        // The invitation, and its Accept button that had the focus, are gone: the list's heading takes it.
        requestHeadingFocus(list.id);
        onOpenList(list.id);
        return true;
      } catch (error) {
        toastStore.error(invitationRefusal(toApiError(error)));
        return false;
      }
    },
    [notifications, stores, onOpenList],
  );

  const decline = useCallback(
    async (invitation: Pick<PendingInvitation, 'id' | 'listName'>) => {
      try {
        await notifications.declineInvitation(invitation.id);
        toastStore.show({ message: `Declined the invitation to “${invitation.listName}”` });
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
