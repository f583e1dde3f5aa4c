import { useRef } from 'react';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import { useNotifications } from '../hooks/useCollaboration.js';
import { useInvitationAnswers } from '../hooks/useInvitationAnswers.js';
import { useWorkspaceInvitationAnswers } from '../hooks/useWorkspaceInvitationAnswers.js';
import { focusIsLost, workspaceSwitcher } from '../lib/focus.js';
import { listRoleLabels, workspaceRoleLabels } from '../lib/people.js';

/**
 * The user's pending invitations in the sidebar, to team workspaces and to lists, each with Accept and Decline. The
 * workspace ones come live through the user's channel; accepting one joins the workspace and `onJoinedWorkspace` shows it.
 */
export function InvitationsSection({
  onOpenList,
  onJoinedWorkspace,
}: {
  onOpenList: (listId: string) => void;
  onJoinedWorkspace: (workspace: WorkspaceSummary) => void;
}) {
  const { invitations, workspaceInvitations } = useNotifications();
  const { accept, decline } = useInvitationAnswers(onOpenList);
  const workspaceAnswers = useWorkspaceInvitationAnswers(onJoinedWorkspace);
  const section = useRef<HTMLElement>(null);

  /** A declined invitation's card, and the button that had the focus, are gone: the next invitation takes it, else the workspace switcher. */
  const keepFocus = (declined: Promise<boolean>) =>
    void declined.then((done) => {
      if (!done) return;
      requestAnimationFrame(() => {
        if (focusIsLost()) (section.current?.querySelector<HTMLElement>('button') ?? workspaceSwitcher())?.focus();
      });
    });

  const count = invitations.length + workspaceInvitations.length;
  if (count === 0) return null;
  return (
    <section ref={section} className="sidebar-invitations" aria-labelledby="sidebar-invitations-title">
      <h2 id="sidebar-invitations-title" className="sidebar-heading">
        Invitations ({count})
      </h2>
      <ul className="nav-list">
        {workspaceInvitations.map((invitation) => (
          <li key={invitation.id} className="invitation-card">
            <p>
              <strong>
                Team “<bdi>{invitation.workspaceName}</bdi>”
              </strong>
              <span className="invitation-from">
                from {invitation.invitedByName} · as {workspaceRoleLabels[invitation.role].toLowerCase()}
              </span>
            </p>
            <div className="invitation-actions">
              <button
                type="button"
                className="button button-primary button-small"
                aria-label={`Accept the invitation to the workspace “${invitation.workspaceName}”`}
                onClick={() => void workspaceAnswers.accept(invitation)}
              >
                Accept
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Decline the invitation to the workspace “${invitation.workspaceName}”`}
                onClick={() => keepFocus(workspaceAnswers.decline(invitation))}
              >
                Decline
              </button>
            </div>
          </li>
        ))}
        {invitations.map((invitation) => (
          <li key={invitation.id} className="invitation-card">
            <p>
              <strong>“{invitation.listName}”</strong>
              <span className="invitation-from">
                from {invitation.invitedByName} · as {listRoleLabels[invitation.role].toLowerCase()}
              </span>
            </p>
            <div className="invitation-actions">
              <button
                type="button"
                className="button button-primary button-small"
                aria-label={`Accept the invitation to “${invitation.listName}”`}
                onClick={() => void accept(invitation)}
              >
                Accept
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Decline the invitation to “${invitation.listName}”`}
                onClick={() => keepFocus(decline(invitation))}
              >
                Decline
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
