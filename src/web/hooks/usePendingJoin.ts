import { useCallback, useEffect, useRef, useState } from 'react';
import type { TaskList, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { clearJoinLink, loadJoinLink, refusedJoinMessage, type JoinLink } from '../lib/join-links.js';
import { toastStore } from '../state/toasts.store.js';
import { useStores } from './useStores.js';

export interface PendingJoin {
  /** The link the app was opened with, waiting for the user's yes or no; null when there is none. */
  pending: JoinLink['kind'] | null;
  /** Joins (or accepts) on yes; on no, forgets the link. */
  answer(join: boolean): void;
}

export interface JoinedHandlers {
  /** A list joined through an invitation or share link. */
  onJoinedList: (list: TaskList) => void;
  /** A team workspace joined through its invitation link (`/workspace-invite#…`). */
  onJoinedWorkspace: (workspace: WorkspaceSummary) => void;
}

/**
 * Once signed in, offers to use the invitation or share link the app was opened with (`/invite#…`, `/join#…`,
 * `/workspace-invite#…`, kept by `captureJoinLink` through sign-in or sign-up), then hands over the joined list or
 * workspace. Asked, not done on opening, when the person was already signed in: joining shows their name and email to
 * the list's (or workspace's) members, and anyone can send anyone a link to their own list. One who signed in to join
 * it (`JoinNotice`) is not asked again.
 */
export function usePendingJoin(handlers: JoinedHandlers): PendingJoin {
  const stores = useStores();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const [link, setLink] = useState<JoinLink | null>(() => loadJoinLink());

  /** Links already answered: a second call (a double click, Strict Mode's second effect) must not send the secret again. */
  const answered = useRef(new Set<string>());
  const answer = useCallback(
    (join: boolean) => {
      if (!link || answered.current.has(link.token)) return;
      answered.current.add(link.token);
      // Taken at once: a second click or a failure must not try the single-use secret again.
      clearJoinLink();
      setLink(null);
      if (!join) return;
      void (async () => {
        try {
          if (link.kind === 'workspace-invite') {
            const workspace = await collaborationApi.acceptWorkspaceInvitationToken(link.token);
            toastStore.show({ message: `You joined the workspace “${workspace.name}”` });
            latest.current.onJoinedWorkspace(workspace);
            return;
          }
          const list = link.kind === 'invite' ? await collaborationApi.acceptInvitationToken(link.token) : await collaborationApi.joinWithShareLink(link.token);
          stores.lists.applyServerList(list);
          toastStore.show({ message: `You joined “${list.name}”` });
          latest.current.onJoinedList(list);
        } catch (error) {
          toastStore.error(refusedJoinMessage(link.kind, toApiError(error)));
        }
      })();
    },
    [link, stores],
  );

  // Signed in from the sign-in screen that said what the link was for: that was the yes.
  const agreed = link?.agreed === true;
  useEffect(() => {
    if (agreed) answer(true);
  }, [agreed, answer]);

  return { pending: link && !agreed ? link.kind : null, answer };
}
