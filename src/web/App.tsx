import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { pendingWorkspaceInvitationSchema } from '../core/schemas/index.js';
import { collaborationApi } from './api/collaboration.js';
import { api } from './api/endpoints.js';
import { AuthScreen } from './components/AuthScreen.js';
import { JoinNotice } from './components/JoinNotice.js';
import { MainScreen } from './components/MainScreen.js';
import { Toasts } from './components/Toasts.js';
import { CollaborationContext } from './hooks/useCollaboration.js';
import { RealtimeContext } from './hooks/useRealtime.js';
import { useSession } from './hooks/useSession.js';
import { StoresContext } from './hooks/useStores.js';
import { captureJoinLink } from './lib/join-links.js';
import { RealtimeClient, realtimeUrl } from './realtime/realtime-client.js';
import { createCollaborationStores } from './state/collaboration-stores.js';
import { refusalMessage } from './state/refusal-message.js';
import { createSessionStores } from './state/session-stores.js';
import { toastStore } from './state/toasts.store.js';

/** The data of `workspace_invitation.removed` on the user's channel. */
const workspaceInvitationRemoved = z.object({ invitationId: z.string(), reason: z.string() });

/** The browser's `online`/`offline` events. */
function watchNetwork(listener: (online: boolean) => void): () => void {
  const online = () => listener(true);
  const offline = () => listener(false);
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
}

/** Signed out: the sign-in screen. Signed in: the app, with fresh stores for that user. */
export function App() {
  const session = useSession();
  const recheckSession = session.recheck; // stable (useCallback)
  const userId = session.state.status === 'signedIn' ? session.state.me.user.id : null;
  // Every failed change was already reverted; say why.
  const stores = useMemo(() => (userId ? createSessionStores(api, (error, _change, task) => toastStore.error(refusalMessage(error, task))) : null), [userId]);
  // Signed out, or another user signed in: the old stores send nothing more (a stalled write's retry would carry
  // the next user's cookie). Declared before the socket's effect, so they are disposed before `stop()` releases
  // the writes it held.
  useEffect(() => () => stores?.dispose(), [stores]);
  // Notifications, workspaces, members: per user like the stores above.
  const me = session.state.status === 'signedIn' ? session.state.me : null;
  const collaboration = useMemo(() => (me ? createCollaborationStores(collaborationApi, me) : null), [userId]); // eslint-disable-line react-hooks/exhaustive-deps
  // One socket per signed-in session, over the same stores; it also tells the inbox and member lists.
  const realtime = useMemo(
    () =>
      stores && userId
        ? new RealtimeClient({
            url: realtimeUrl(window.location),
            stores,
            selfId: userId,
            notify: (message) => toastStore.show({ message }),
            watchNetwork,
            onUserEvent: (event, data) => {
              // The inbox changed: a new invitation or notification, or an invitation answered elsewhere or withdrawn;
              // or the server may have missed telling us (`resync`, after an outage between its nodes; the client passes it
              // on after a random wait of up to 5 s, so that not every browser asks at the same moment).
              if (
                [
                  'notification.created',
                  'invitation.created',
                  'invitation.removed',
                  'workspace_invitation.created',
                  'workspace_invitation.removed',
                  'list.added',
                  'resync',
                ].includes(event)
              )
                void collaboration?.notifications.refreshNotifications();
              // A workspace invitation is shown (or dropped) at once, without waiting for the reload.
              if (event === 'workspace_invitation.created') {
                const invitation = pendingWorkspaceInvitationSchema.safeParse(data);
                if (invitation.success) collaboration?.notifications.showWorkspaceInvitation(invitation.data);
              }
              if (event === 'workspace_invitation.removed') {
                const removed = workspaceInvitationRemoved.safeParse(data);
                if (removed.success) {
                  collaboration?.notifications.dropWorkspaceInvitation(removed.data.invitationId);
                  // Accepted in another tab: the workspace is the user's now.
                  if (removed.data.reason === 'accepted') void collaboration?.workspaces.refresh();
                }
              }
              // Invited to, or joined, a workspace while the server could not tell us: the switcher may be behind too.
              if (event === 'resync') void collaboration?.workspaces.refresh();
              const listId = (data as { listId?: unknown } | null)?.listId;
              if (event === 'list.added' && typeof listId === 'string') collaboration?.members.invalidate(listId);
              if (event === 'list.removed' && typeof listId === 'string') collaboration?.members.forget(listId);
            },
            onChange: (change) => {
              if (change.change.startsWith('member.')) collaboration?.members.invalidate(change.listId);
            },
            // Logged out in another tab, or the session revoked: this tab signs out too.
            onPolicyClose: () => void recheckSession(),
          })
        : null,
    [stores, userId, collaboration, recheckSession],
  );
  useEffect(() => {
    realtime?.start();
    return () => realtime?.stop();
  }, [realtime]);
  // Opened from an invitation or share link (`/invite#…`, `/join#…`): kept until signed in, then joined.
  useState(() => captureJoinLink(window.location, window.history));

  let screen;
  switch (session.state.status) {
    case 'loading':
      screen = (
        <main className="splash" aria-busy="true">
          <p>Loading Listo…</p>
        </main>
      );
      break;
    case 'error':
      screen = (
        <main className="splash">
          <div role="alert">
            <p>{session.state.error.detail}</p>
            <button type="button" className="button" onClick={session.retry}>
              Try again
            </button>
          </div>
        </main>
      );
      break;
    case 'signedOut':
      screen = (
        <>
          <JoinNotice />
          <AuthScreen session={session} />
        </>
      );
      break;
    case 'signedIn':
      screen = (
        <StoresContext.Provider value={stores}>
          <RealtimeContext.Provider value={realtime}>
            <CollaborationContext.Provider value={collaboration}>
              <MainScreen me={session.state.me} onSignOut={() => void session.signOut()} />
            </CollaborationContext.Provider>
          </RealtimeContext.Provider>
        </StoresContext.Provider>
      );
      break;
  }

  return (
    <>
      {screen}
      <Toasts />
    </>
  );
}
