/**
 * Invitation and share links (`/invite#<token>` and `/join#<token>` for a list, `/workspace-invite#<token>` for a team
 * workspace): the secret is in the fragment,
 * which browsers never send to a server. The app takes it out of the address bar at once (so it is not
 * left in history) and keeps it for this tab until the person has signed in and joined.
 */

export type JoinLinkKind = 'invite' | 'join' | 'workspace-invite';

const kinds: readonly string[] = ['invite', 'join', 'workspace-invite'] satisfies JoinLinkKind[];

export interface JoinLink {
  kind: JoinLinkKind;
  token: string;
  /**
   * The person signed in to join it (the sign-in screen said so): joined without asking again. A link opened while
   * signed in is asked about first (`usePendingJoin`): anyone can send anyone a link to their own list (or workspace).
   */
  agreed?: boolean;
}

/** The link in an address, or null. */
export function parseJoinLink(pathname: string, hash: string): JoinLink | null {
  const match = /^\/(invite|join|workspace-invite)\/?$/.exec(pathname);
  if (!match) return null;
  let token: string;
  try {
    token = decodeURIComponent(hash.replace(/^#/, '')).trim();
  } catch {
    return null;
  }
  if (!token || token.length > 200) return null;
  return { kind: match[1] as JoinLinkKind, token };
}

const storageKey = 'listo.join-link';

interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): KeyValueStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function saveJoinLink(link: JoinLink, store: KeyValueStorage | null = storage()): void {
  store?.setItem(storageKey, JSON.stringify(link));
}

export function loadJoinLink(store: KeyValueStorage | null = storage()): JoinLink | null {
  try {
    const value = JSON.parse(store?.getItem(storageKey) ?? 'null') as Partial<JoinLink> | null;
    if (value && typeof value.kind === 'string' && kinds.includes(value.kind) && typeof value.token === 'string' && value.token)
      return { kind: value.kind, token: value.token, ...(value.agreed === true ? { agreed: true } : {}) };
  } catch {
    // unreadable: forget it
  }
  return null;
}

export function clearJoinLink(store: KeyValueStorage | null = storage()): void {
  store?.removeItem(storageKey);
}

/**
 * Reads a join link from the current address, keeps it, and replaces the address with `/` (no
 * secret left in history). Returns the pending link, from this address or kept earlier in this tab.
 */
export function captureJoinLink(
  location: { pathname: string; hash: string },
  history: { replaceState(data: unknown, unused: string, url: string): void },
): JoinLink | null {
  const link = parseJoinLink(location.pathname, location.hash);
  if (link) {
    saveJoinLink(link);
    history.replaceState(null, '', '/');
    return link;
  }
  return loadJoinLink();
}

/**
 * Why answering an invitation was refused, in the app's words: it was "withdrawn" (the people dialogs' Withdraw), where
 * the API says "revoked" ("This invitation was already revoked").
 */
export function invitationRefusal(error: { detail: string }): string {
  return error.detail.replace(/\brevoked\b/g, 'withdrawn');
}

/** What a link is called in the message saying why it did not work. */
const refusedLinkOf: Record<JoinLinkKind, string> = { invite: 'invitation', join: 'link', 'workspace-invite': 'workspace invitation' };

/**
 * Why joining with a link failed, for a toast. A list's link turned off or replaced is 404 like an unknown one; a
 * workspace invitation withdrawn, replaced, answered or expired is still known (410, the server says which), so its 404
 * is a link that never was one (cut short when copied, mistyped).
 */
export function refusedJoinMessage(kind: JoinLinkKind, refusal: { code: string; detail: string }): string {
  const what = refusedLinkOf[kind];
  const error = { code: refusal.code, detail: invitationRefusal(refusal) };
  if (kind === 'workspace-invite') {
    if (error.code === 'not_found') return `This ${what} link is not valid: check that it was copied whole, or ask for a new one.`;
    if (error.code === 'gone') return `This ${what} can no longer be used. ${error.detail}`;
    return error.detail;
  }
  return error.code === 'not_found' || error.code === 'gone' ? `This ${what} is no longer valid (used, withdrawn or expired). ${error.detail}` : error.detail;
}
