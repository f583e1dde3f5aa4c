import { useState } from 'react';
import type { Notification, WorkspaceSummary } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { useCollaboration, useNotifications, useNotificationsRefresh } from '../hooks/useCollaboration.js';
import { useInvitationAnswers } from '../hooks/useInvitationAnswers.js';
import { useWorkspaceInvitationAnswers } from '../hooks/useWorkspaceInvitationAnswers.js';
import { describeNotification } from '../lib/notification-text.js';
import { timeAgo } from '../lib/relative-time.js';
import { toastStore } from '../state/toasts.store.js';
import { Icon } from './Icon.js';
import { Modal } from './Modal.js';

/**
 * The bell in the sidebar: unread count, and a panel with the notifications (invited, assigned,
 * mentioned). Opening one marks it read and goes to its list (and task). Kept fresh on focus and
 * every 30 s; a real-time client may call `refreshNotifications()` on the store at any time.
 */
export function NotificationBell({
  onOpenList,
  onJoinedWorkspace,
}: {
  onOpenList: (listId: string) => void;
  onJoinedWorkspace: (workspace: WorkspaceSummary) => void;
}) {
  useNotificationsRefresh();
  const { items, unreadCount, invitations, workspaceInvitations, status, error, store } = useNotifications();
  const { taskDetails } = useCollaboration();
  const [open, setOpen] = useState(false);
  const listAnswers = useInvitationAnswers(onOpenList);
  const workspaceAnswers = useWorkspaceInvitationAnswers(onJoinedWorkspace);
  const pendingIds = new Set(invitations.map((invitation) => invitation.id));
  const pendingWorkspaceIds = new Set(workspaceInvitations.map((invitation) => invitation.id));

  /** An invitation still waiting for an answer, answered from here: to a list, or to a team workspace. */
  function pendingAnswer(notification: Notification) {
    const id = notification.invitationId;
    if (id === null) return null;
    if (notification.type === 'invited' && pendingIds.has(id)) {
      const listName = typeof notification.data.listName === 'string' ? notification.data.listName : 'the list';
      return { what: `“${listName}”`, accept: () => listAnswers.accept({ id, listName }), decline: () => listAnswers.decline({ id, listName }) };
    }
    if (notification.type === 'workspace_invited' && pendingWorkspaceIds.has(id)) {
      const workspaceName = typeof notification.data.workspaceName === 'string' ? notification.data.workspaceName : 'the workspace';
      return {
        what: `the workspace “${workspaceName}”`,
        accept: () => workspaceAnswers.accept({ id, workspaceName }),
        decline: () => workspaceAnswers.decline({ id, workspaceName }),
      };
    }
    return null;
  }
  const badge = unreadCount > 99 ? '99+' : String(unreadCount);

  const markRead = (notification: Notification) => store.markRead(notification.id).catch((caught: unknown) => toastStore.error(toApiError(caught).detail));

  function go(notification: Notification) {
    void markRead(notification);
    if (!notification.listId) return;
    setOpen(false);
    onOpenList(notification.listId);
    if (notification.taskId) taskDetails.open(notification.listId, notification.taskId);
  }

  const now = new Date();
  return (
    <>
      <button
        type="button"
        className="icon-button bell-button"
        aria-label={unreadCount > 0 ? `Notifications, ${unreadCount} unread` : 'Notifications'}
        title="Notifications"
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true);
          void store.refreshNotifications();
        }}
      >
        <Icon name="bell" />
        {unreadCount > 0 ? (
          <span className="bell-badge" aria-hidden="true">
            {badge}
          </span>
        ) : null}
      </button>
      {open ? (
        <Modal
          title="Notifications"
          variant="popover"
          onClose={() => setOpen(false)}
          headerActions={
            unreadCount > 0 ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => void store.markAllRead().catch((caught: unknown) => toastStore.error(toApiError(caught).detail))}
              >
                Mark all read
              </button>
            ) : null
          }
        >
          {status === 'loading' ? <p className="muted-note">Loading…</p> : null}
          {status === 'error' ? (
            <p className="field-error" role="alert">
              {error?.detail ?? 'Notifications could not be loaded.'}
            </p>
          ) : null}
          {status === 'ready' && items.length === 0 ? <p className="muted-note">You are all caught up.</p> : null}
          {items.length > 0 ? (
            <ul className="notification-list" aria-label="Notifications">
              {items.map((notification) => {
                const text = describeNotification(notification);
                const pending = pendingAnswer(notification);
                return (
                  <li key={notification.id} className={`notification${notification.read ? '' : ' is-unread'}`}>
                    <span className="notification-dot" aria-hidden="true" />
                    <div className="notification-main">
                      {notification.listId && !pending ? (
                        <button type="button" className="notification-open" onClick={() => go(notification)}>
                          {notification.read ? null : <span className="visually-hidden">Unread: </span>}
                          {text.title}
                        </button>
                      ) : (
                        <p className="notification-text">
                          {notification.read ? null : <span className="visually-hidden">Unread: </span>}
                          {text.title}
                        </p>
                      )}
                      {text.excerpt ? <p className="notification-excerpt">“{text.excerpt}”</p> : null}
                      <p className="notification-time">
                        <time dateTime={notification.createdAt}>{timeAgo(notification.createdAt, now)}</time>
                      </p>
                      {pending ? (
                        <div className="invitation-actions">
                          <button
                            type="button"
                            className="button button-primary button-small"
                            aria-label={`Accept the invitation to ${pending.what}`}
                            onClick={() => {
                              setOpen(false);
                              void pending.accept();
                            }}
                          >
                            Accept
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Decline the invitation to ${pending.what}`}
                            onClick={() => void pending.decline()}
                          >
                            Decline
                          </button>
                        </div>
                      ) : null}
                    </div>
                    {notification.read ? null : (
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Mark read: ${text.title}`}
                        title="Mark read"
                        onClick={() => void markRead(notification)}
                      >
                        <Icon name="check" size={16} />
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          ) : null}
        </Modal>
      ) : null}
    </>
  );
}
