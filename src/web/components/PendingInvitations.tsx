import type { Ref } from 'react';

interface PendingInvitation {
  id: string;
  email: string;
  expiresAt: string;
}

/**
 * The "Pending invitations" section of a share or people dialog: each invitation's address, role and expiry, with the
 * button that takes it back (`verb`: "Revoke" for a list's, "Withdraw" for a workspace's).
 */
export function PendingInvitations<T extends PendingInvitation>(props: {
  /** The dialog's id, for the section's heading. */
  id: string;
  invitations: readonly T[];
  roleLabel: (invitation: T) => string;
  verb: string;
  onTakeBack: (invitation: T) => void;
  listRef?: Ref<HTMLUListElement>;
}) {
  if (props.invitations.length === 0) return null;
  return (
    <section className="share-section" aria-labelledby={`${props.id}-pending`}>
      <h3 id={`${props.id}-pending`} className="details-heading">
        Pending invitations
      </h3>
      <ul ref={props.listRef} className="member-list" aria-label="Pending invitations">
        {props.invitations.map((invitation) => (
          <li key={invitation.id} className="member-row">
            <span className="member-who">
              <span className="member-name">{invitation.email}</span>
              <span className="member-email">
                {props.roleLabel(invitation)} · expires {new Date(invitation.expiresAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}
              </span>
            </span>
            <button
              type="button"
              className="button button-small"
              aria-label={`${props.verb} the invitation of ${invitation.email}`}
              onClick={() => props.onTakeBack(invitation)}
            >
              {props.verb}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
