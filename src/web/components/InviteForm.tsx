import { useId, useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import type { ListRole } from '../../core/permissions.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { invitableRoles, inviteRefusal, listRoleHints, listRoleLabels } from '../lib/people.js';
import { CopyField } from './CopyField.js';

/** Invite by email with a role (never above one's own); gives the link for people without an account. */
export function InviteForm({ listId, myRole, onInvited }: { listId: string; myRole: ListRole; onInvited: () => void }) {
  const roles = invitableRoles(myRole);
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ListRole>(roles.includes('editor') ? 'editor' : (roles[0] ?? 'viewer'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ email: string; url: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    if (!address) return;
    setBusy(true);
    setError(null);
    try {
      const result = await collaborationApi.inviteMember(listId, address, role);
      setSent({ email: result.invitation.email, url: new URL(result.inviteUrl, window.location.origin).toString() });
      setEmail('');
      onInvited();
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(inviteRefusal(apiError));
      setSent(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="share-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="details-heading">
        Invite people
      </h3>
      <form className="invite-form" onSubmit={submit} noValidate>
        <div className="invite-row">
          <label htmlFor={`${id}-email`} className="visually-hidden">
            Email address to invite
          </label>
          <input
            id={`${id}-email`}
            type="email"
            className="text-input"
            placeholder="name@example.com"
            autoComplete="off"
            maxLength={limits.emailMax}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-autofocus
          />
          <label htmlFor={`${id}-role`} className="visually-hidden">
            Role for the invitation
          </label>
          <select id={`${id}-role`} className="select" value={role} onChange={(event) => setRole(event.target.value as ListRole)}>
            {roles.map((candidate) => (
              <option key={candidate} value={candidate} title={listRoleHints[candidate]}>
                {listRoleLabels[candidate]}
              </option>
            ))}
          </select>
          <button type="submit" className="button button-primary" disabled={busy || !email.trim()}>
            {busy ? 'Inviting…' : 'Invite'}
          </button>
        </div>
        {error ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {sent ? (
        <div className="invite-sent">
          <p role="status">
            Invited <strong>{sent.email}</strong>. If they already use Listo, they will see the invitation when they sign in.
          </p>
          <CopyField
            label="Invitation link"
            value={sent.url}
            hint="For someone without an account yet: send them this link. It works once and is shown only now."
          />
        </div>
      ) : null}
    </section>
  );
}
