import { useEffect, useId, useState } from 'react';
import type { ListRole } from '../../core/permissions.js';
import type { ShareLink } from '../../core/schemas/index.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { invitableRoles, listRoleLabels } from '../lib/people.js';
import { CopyField } from './CopyField.js';

/**
 * The list's share link (owner only): on or off, the role it gives, and its address to copy. The
 * server shows the address only when a link is made, so an existing link can be copied only by making
 * a new one (which turns the old one off).
 */
export function ShareLinkSection({ listId, myRole }: { listId: string; myRole: ListRole }) {
  const id = useId();
  const roles = invitableRoles(myRole);
  const [link, setLink] = useState<ShareLink | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'busy' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  // The switch shows what was asked for while the server works on it.
  const [wanted, setWanted] = useState<boolean | null>(null);
  const [role, setRole] = useState<ListRole>(roles.includes('viewer') ? 'viewer' : (roles[0] ?? 'viewer'));

  useEffect(() => {
    let active = true;
    collaborationApi.getShareLink(listId).then(
      (current) => {
        if (!active) return;
        setLink(current);
        if (current) setRole(current.role);
        setStatus('ready');
      },
      (caught: unknown) => {
        if (!active) return;
        setError(toApiError(caught).detail);
        setStatus('error');
      },
    );
    return () => {
      active = false;
    };
  }, [listId]);

  async function make(nextRole: ListRole) {
    setStatus('busy');
    setWanted(true);
    setError(null);
    try {
      const created = await collaborationApi.createShareLink(listId, nextRole);
      setLink(created.shareLink);
      setRole(created.shareLink.role);
      setUrl(new URL(created.url, window.location.origin).toString());
    } catch (caught) {
      setError(toApiError(caught).detail);
    } finally {
      setWanted(null);
      setStatus('ready');
    }
  }

  async function turnOff() {
    setStatus('busy');
    setWanted(false);
    setError(null);
    try {
      await collaborationApi.disableShareLink(listId);
      setLink(null);
      setUrl(null);
    } catch (caught) {
      setError(toApiError(caught).detail);
    } finally {
      setWanted(null);
      setStatus('ready');
    }
  }

  const busy = status === 'busy' || status === 'loading';
  return (
    <section className="share-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="details-heading">
        Share link
      </h3>
      {status === 'loading' ? <p className="muted-note">Loading…</p> : null}
      {status !== 'loading' ? (
        <>
          <div className="share-link-row">
            <label className="checkbox-label">
              <input
                type="checkbox"
                checked={wanted ?? link !== null}
                onChange={(event) => {
                  if (status === 'busy') return; // one change at a time; the switch already shows the last one asked
                  void (event.target.checked ? make(role) : turnOff());
                }}
              />
              Anyone with the link can join
            </label>
            <label htmlFor={`${id}-role`} className="visually-hidden">
              Role given by the share link
            </label>
            <select
              id={`${id}-role`}
              className="select select-small"
              value={role}
              disabled={busy}
              onChange={(event) => {
                const next = event.target.value as ListRole;
                setRole(next);
                if (link) void make(next);
              }}
            >
              {roles.map((candidate) => (
                <option key={candidate} value={candidate}>
                  as {listRoleLabels[candidate].toLowerCase()}
                </option>
              ))}
            </select>
          </div>
          {link && url ? (
            <CopyField label="Share link" value={url} hint="Anyone who has it can join after signing in. Changing the role makes a new link." />
          ) : null}
          {link && !url ? (
            <p className="muted-note">
              The link is on. Its address is shown only when it is made:{' '}
              <button type="button" className="link-button" disabled={busy} onClick={() => void make(link.role)}>
                make a new link
              </button>{' '}
              (the current one stops working).
            </p>
          ) : null}
          {!link ? <p className="muted-note">Off: only invited people can join.</p> : null}
        </>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
