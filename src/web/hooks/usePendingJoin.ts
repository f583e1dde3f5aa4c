import { useEffect, useRef } from 'react';
import type { TaskList } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { clearJoinLink, loadJoinLink } from '../lib/join-links.js';
import { toastStore } from '../state/toasts.store.js';
import { useStores } from './useStores.js';

/**
 * Once signed in, uses the invitation or share link the app was opened with (`/invite#…`,
 * `/join#…`, kept by `captureJoinLink` through sign-in or sign-up), then hands over the joined list.
 */
export function usePendingJoin(onJoined: (list: TaskList) => void): void {
  const stores = useStores();
  const latest = useRef(onJoined);
  useEffect(() => {
    latest.current = onJoined;
  });

  useEffect(() => {
    const link = loadJoinLink();
    if (!link) return;
    // Taken at once: a second mount (Strict Mode) or a failure must not try the single-use secret again.
    clearJoinLink();
    void (async () => {
      try {
        const list = link.kind === 'invite' ? await collaborationApi.acceptInvitationToken(link.token) : await collaborationApi.joinWithShareLink(link.token);
        stores.lists.applyServerList(list);
        toastStore.show({ message: `You joined “${list.name}”` });
        latest.current(list);
      } catch (error) {
        const apiError = toApiError(error);
        const what = link.kind === 'invite' ? 'invitation' : 'link';
        toastStore.error(
          apiError.code === 'not_found' || apiError.code === 'gone'
            ? `This ${what} is no longer valid (used, revoked or expired). ${apiError.detail}`
            : apiError.detail,
        );
      }
    })();
  }, [stores]);
}
