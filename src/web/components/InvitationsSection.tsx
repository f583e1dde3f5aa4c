import { useNotifications } from '../hooks/useCollaboration.js';
import { useInvitationAnswers } from '../hooks/useInvitationAnswers.js';
import { listRoleLabels } from '../lib/people.js';

/** The user's pending invitations in the sidebar, each with Accept and Decline. */
export function InvitationsSection({ onOpenList }: { onOpenList: (listId: string) => void }) {
  const { invitations } = useNotifications();
  const { accept, decline } = useInvitationAnswers(onOpenList);
  if (invitations.length === 0) return null;
  return (
    <section className="sidebar-invitations" aria-labelledby="sidebar-invitations-title">
      <h2 id="sidebar-invitations-title" className="sidebar-heading">
        Invitations ({invitations.length})
      </h2>
      <ul className="nav-list">
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
                onClick={() => void decline(invitation)}
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
